package dev.flywheel.store.artifact.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.BlobCheck;
import dev.flywheel.store.artifact.BlobWriter;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.internal.HashingOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An artifact store in a local folder: {@code root/blobs/ab/<sha256>}, where {@code ab} are the hash's first two
 * hex digits. A write streams into {@code root/tmp/<random>.part} while hashing, forces it to disk, then renames it
 * atomically to its content address, so a blob name only ever holds complete bytes. Temporary files left behind
 * by a killed process are removed when a store is next opened on the same root, once they are older than
 * {@code staleAfter} (so a slow writer in another process keeps its file).
 *
 * <p>{@link Durability} decides what a finished write survives: {@code ATOMIC} (the default, like the SQLite
 * metadata store in WAL mode with {@code synchronous=NORMAL}) survives any process crash - a blob is complete or
 * absent - but an operating-system crash may lose the newest blobs; {@code FSYNC} also survives power loss, at the
 * price of two disk flushes per new blob (about 4 ms each on a virtual disk).
 *
 * <p>Thread-safe; several processes may share one root.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalArtifactStore.class);
    private static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern LOCATION = Pattern.compile("blobs/([0-9a-f]{2})/([0-9a-f]{64})");
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final Path blobs;
    private final Path tmp;
    private final URI rootUri;
    private final Durability durability;

    /** What a finished write survives; see the class comment. */
    public enum Durability {
        /** Complete-or-absent after a process crash; the newest blobs may be lost in an operating-system crash. */
        ATOMIC,
        /** Also flushed to disk (file and folder) before the blob becomes visible: survives power loss. */
        FSYNC
    }

    /** Opens (creating if needed) the store at {@code root}, removing temporary files older than 10 minutes. */
    public LocalArtifactStore(Path root) {
        this(root, Durability.ATOMIC);
    }

    public LocalArtifactStore(Path root, Durability durability) {
        this(root, Clock.systemUTC(), DEFAULT_STALE_AFTER, durability);
    }

    /** As {@link #LocalArtifactStore(Path)}, with the clock and age that decide which temporary files are stale. */
    public LocalArtifactStore(Path root, Clock clock, Duration staleAfter) {
        this(root, clock, staleAfter, Durability.ATOMIC);
    }

    public LocalArtifactStore(Path root, Clock clock, Duration staleAfter, Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.tmp = this.root.resolve("tmp");
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw FlywheelException.invalid("artifact store root " + this.root + " is a file, not a folder;"
                    + " point the store at a folder");
        }
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot create artifact store folders under " + this.root
                    + ": " + e + "; check the path and its permissions", e);
        }
        this.rootUri = this.root.toUri();
        removeStaleTemporaryFiles(clock.instant().minus(staleAfter));
    }

    private void removeStaleTemporaryFiles(Instant olderThan) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
                        Files.deleteIfExists(file);
                        LOG.warn("Removed temporary artifact file left by an interrupted write file={}", file);
                    }
                } catch (NoSuchFileException alreadyGone) {
                    // its writer finished or another store instance cleaned it
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not clean temporary artifact files dir={} error={}", tmp, e.toString());
        }
    }

    @Override
    public StoredBlob write(BlobWriter writer) {
        Objects.requireNonNull(writer, "writer");
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            long size;
            String sha256;
            boolean existing;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                HashingOutputStream out = new HashingOutputStream(new DiskStream(channel), sha256(), BUFFER);
                try {
                    writer.writeTo(out);
                } catch (DiskStream.Failure e) {
                    throw e.getCause();
                } catch (IOException e) {
                    throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "could not serialize an artifact: " + e
                            + "; the materializer failed, not the artifact store - check the value and its materializer", e);
                }
                sha256 = HexFormat.of().formatHex(out.finish());
                size = out.count();
                existing = intact(blobPath(sha256), sha256, size);
                if (durability == Durability.FSYNC && !existing) {
                    channel.force(true);
                }
            }
            Path blob = blobPath(sha256);
            Path dir = blob.getParent();
            Files.createDirectories(dir);
            if (existing) {
                Files.delete(part); // same hash, same bytes: the blob is already complete
            } else {
                if (Files.exists(blob)) {
                    LOG.warn("Replacing a damaged blob with a fresh copy of its bytes blob={}", blob);
                }
                try {
                    // replaces a damaged blob of the same name; a concurrent writer's rename carries the same bytes
                    Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (FileAlreadyExistsException concurrentWriterWon) {
                    Files.deleteIfExists(part);
                }
                if (durability == Durability.FSYNC) {
                    forceDirectory(dir);
                }
            }
            return new StoredBlob(location(sha256), size, sha256);
        } catch (DiskStream.Failure e) {
            deleteQuietly(part);
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not write an artifact to the store at " + root
                    + ": " + e.getCause() + "; check free disk space and permissions", e.getCause());
        } catch (IOException e) {
            deleteQuietly(part);
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not write an artifact to the store at " + root
                    + ": " + e + "; check free disk space and permissions", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(part);
            throw e;
        }
    }

    /**
     * Whether a blob of this hash already holds exactly these bytes. Only then is a new write of the same content
     * dropped; a damaged blob (another size, other bytes) is replaced, so writing a value again repairs it.
     */
    private boolean intact(Path blob, String sha256, long size) throws IOException {
        try {
            if (Files.size(blob) != size) {
                return false;
            }
        } catch (NoSuchFileException absent) {
            return false;
        }
        return sha256.equals(hash(blob).sha256());
    }

    /**
     * The file under a blob write. It marks its own I/O failures so they are told apart from a materializer's
     * (a Jackson mapping error is an IOException too): one is the store's fault, the other the value's.
     */
    private static final class DiskStream extends java.io.OutputStream {
        private final FileChannel channel;

        DiskStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws Failure {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws Failure {
            try {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        static final class Failure extends IOException {
            private static final long serialVersionUID = 1L;

            Failure(IOException cause) {
                super(cause);
            }

            @Override
            public synchronized IOException getCause() {
                return (IOException) super.getCause();
            }
        }
    }

    /** Makes the rename durable: without this a power loss may forget the directory entry. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupportedHere) {
            // some file systems cannot sync a directory; the blob itself is already on disk
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not remove temporary artifact file file={} error={}", file, e.toString());
        }
    }

    @Override
    public InputStream open(URI uri) {
        Path blob = resolve(uri);
        try {
            return new BufferedInputStream(Files.newInputStream(blob), BUFFER);
        } catch (NoSuchFileException e) {
            throw notFound(uri);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not open artifact " + uri + ": " + e, e);
        }
    }

    @Override
    public boolean exists(URI uri) {
        return Files.isRegularFile(resolve(uri));
    }

    @Override
    public long size(URI location) {
        try {
            return Files.size(resolve(location));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read artifact " + location + ": " + e, e);
        }
    }

    @Override
    public BlobCheck verify(URI location) {
        Path blob = resolve(location);
        try {
            Hashed hashed = hash(blob);
            return new BlobCheck(location, blob.getFileName().toString(), hashed.sha256(), hashed.size());
        } catch (NoSuchFileException e) {
            throw notFound(location);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read artifact " + location + ": " + e, e);
        }
    }

    private record Hashed(String sha256, long size) {
    }

    private static Hashed hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
    }

    @Override
    public URI locate(URI location) {
        return resolve(location).toUri();
    }

    @Override
    public URI root() {
        return rootUri;
    }

    /** A blob's location relative to the root: {@code blobs/ab/<sha256>}. */
    private static URI location(String sha256) {
        return URI.create("blobs/" + sha256.substring(0, 2) + "/" + sha256);
    }

    private FlywheelException notFound(URI uri) {
        return new FlywheelException(ErrorCode.NOT_FOUND, "artifact " + uri + " does not exist in the store at " + root
                + "; it was deleted or the store root changed");
    }

    private Path blobPath(String sha256) {
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * Maps a blob location to its file: a location relative to this root ({@code blobs/ab/<sha256>}), or an
     * absolute {@code file:} URI of a blob under this root.
     */
    private Path resolve(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null && !uri.getPath().startsWith("/")) {
            Matcher m = LOCATION.matcher(uri.toString());
            if (!m.matches() || !m.group(1).equals(m.group(2).substring(0, 2))) {
                throw FlywheelException.invalid("artifact location '" + uri + "' is not a blob location of the local artifact"
                        + " store at " + root + "; blob locations look like blobs/ab/<sha256> (64 hex digits starting with ab)");
            }
            return blobPath(m.group(2));
        }
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("file")) {
            throw FlywheelException.invalid("artifact URI " + uri + " has " + (scheme == null ? "no scheme" : "scheme '"
                    + scheme + "'") + ", but the local artifact store at " + root + " reads only file: URIs;"
                    + " use the stack whose artifact store wrote this artifact");
        }
        Path path;
        try {
            path = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("artifact URI " + uri + " is not a valid file URI: " + e.getMessage());
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!SHA256.matcher(name).matches() || !path.equals(blobPath(name))) {
            throw FlywheelException.invalid("artifact URI " + uri + " is not a blob of the local artifact store at "
                    + root + "; blob locations look like blobs/ab/<sha256> (relative to the store) or " + blobs.toUri() + "ab/<sha256>");
        }
        return path;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "this JVM has no SHA-256 MessageDigest", e);
        }
    }

    @Override
    public String toString() {
        return "LocalArtifactStore[" + root + "]";
    }
}
