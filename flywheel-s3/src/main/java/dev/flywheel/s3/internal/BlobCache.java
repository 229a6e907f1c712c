package dev.flywheel.s3.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Verified local copies of remote blobs, {@code folder/blobs/ab/<sha256>}: a blob is put here only once its bytes
 * hashed to its name, so a blob read twice is downloaded once, and a blob just written is read back without a
 * download. Blobs are immutable, so a copy never goes stale; it can only be damaged, which readers detect by
 * hashing ({@code S3ArtifactStore.verify}) and repair by downloading again. Files in {@code tmp/} are downloads and
 * uploads in progress, renamed into place when complete; ones left by a killed process are removed when a cache is
 * opened, once an hour old. Above {@code maxBytes} the least recently used copies are removed. Thread-safe; several
 * processes may share a folder.
 */
public final class BlobCache {
    private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path blobs;
    private final Path tmp;
    private final long maxBytes;
    private final Clock clock;
    /** What this process believes the cache holds; re-counted when it grows past the limit. */
    private final AtomicLong bytes = new AtomicLong(-1);

    public BlobCache(Path folder, long maxBytes, Clock clock) {
        Path root = folder.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
        this.maxBytes = maxBytes;
        this.clock = clock;
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the artifact cache folder " + root + ": " + e
                    + "; check the path and its permissions", e);
        }
        removeStaleTemporaryFiles();
    }

    /** A fresh path in the cache's temporary folder, for a download or an upload's spool file. */
    public Path newTemporaryFile() {
        return tmp.resolve(UUID.randomUUID() + ".part");
    }

    /** The verified copy of the blob {@code sha256}, if this machine has one; marks it recently used. */
    public Optional<Path> get(String sha256) {
        Path p = path(sha256);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(p, FileTime.from(clock.instant()));
        } catch (IOException ignored) {
            // a copy another process just trimmed: the caller reads it or downloads again
        }
        return Optional.of(p);
    }

    /**
     * Moves a complete, verified temporary file into place as the copy of {@code sha256}, then trims the cache.
     *
     * @return the copy's path
     */
    public Path put(Path verifiedTemporaryFile, String sha256) throws IOException {
        Path target = path(sha256);
        Files.createDirectories(target.getParent());
        try {
            Files.move(verifiedTemporaryFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException sameBytesAlreadyThere) {
            Files.deleteIfExists(verifiedTemporaryFile);
        }
        long size = Files.size(target);
        if (bytes.get() < 0 || bytes.addAndGet(size) > maxBytes) {
            trim(target);
        }
        return target;
    }

    /** Removes the copy of {@code sha256} (found damaged). */
    public void remove(String sha256) {
        deleteQuietly(path(sha256));
    }

    /** Removes a temporary file, saying so in the log if it cannot. */
    public void discard(Path temporaryFile) {
        deleteQuietly(temporaryFile);
    }

    private Path path(String sha256) {
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Counts the cache and removes the least recently used copies beyond the limit, never {@code keep}. */
    private synchronized void trim(Path keep) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(blobs)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not count the artifact cache dir={} error={}", blobs, e.toString());
            return;
        }
        record Entry(Path path, long size, long used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            try {
                long size = Files.size(f);
                entries.add(new Entry(f, size, Files.getLastModifiedTime(f).toMillis()));
                total += size;
            } catch (IOException gone) {
                // trimmed by another process meanwhile
            }
        }
        entries.sort(Comparator.comparingLong(Entry::used));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                break;
            }
            if (!e.path().equals(keep)) {
                deleteQuietly(e.path());
                total -= e.size();
            }
        }
        bytes.set(total);
    }

    private void removeStaleTemporaryFiles() {
        long olderThan = clock.instant().minus(STALE_TEMP).toEpochMilli();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                try {
                    if (Files.getLastModifiedTime(f).toMillis() < olderThan) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException gone) {
                    // its writer finished
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not clean the artifact cache's temporary files dir={} error={}", tmp, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not remove a file of the artifact cache file={} error={}", p, e.toString());
        }
    }
}
