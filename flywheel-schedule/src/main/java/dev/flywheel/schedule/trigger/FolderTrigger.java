package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fires when enough new or changed files matching a glob have arrived in a folder and none of them has changed
 * for the debounce period, so files still being copied are not taken.
 *
 * <p>Works by polling snapshots (relative path, size, modification time) rather than a {@code WatchService},
 * which misses events on network and container filesystems. Quiet time is measured on this trigger's clock
 * between polls, not from file modification times, so clock skew with a file server does not matter: a file is
 * quiet once its size and time have stayed the same across polls for the debounce period. After a restart the
 * debounce starts again. Not thread-safe: one poller per trigger.
 *
 * <pre>{@code
 * FolderTrigger trigger = new FolderTrigger(FolderTrigger.Config.of(Path.of("/data/incoming"), "*.csv")
 *         .minFiles(3).debounce(Duration.ofMinutes(2)), clock);
 * TriggerCheck<FolderState> check = trigger.check(savedState);
 * }</pre>
 */
public final class FolderTrigger {
    private static final Logger log = LoggerFactory.getLogger(FolderTrigger.class);

    private final Config config;
    private final Clock clock;
    private final PathMatcher matcher;
    /** The stamp each candidate had at the last poll and when this trigger first saw that stamp. */
    private final Map<String, Seen> seen = new HashMap<>();
    private static final Pattern SEPARATOR = Pattern.compile(Pattern.quote(FileSystems.getDefault().getSeparator()));

    public FolderTrigger(Config config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + config.glob());
    }

    /**
     * The trigger's settings.
     *
     * @param folder   the folder to watch (it may not exist yet; the trigger waits until it does)
     * @param glob     a glob on paths relative to the folder: {@code *.csv} matches top-level files only,
     *                 {@code **}{@code /*.csv} files in sub-folders
     * @param minFiles fire only when at least this many files are new or changed (at least 1)
     * @param minBytes ... and together they hold at least this many bytes (0 for no minimum)
     * @param debounce fire only when none of them changed for this long (0 to take files as soon as seen)
     */
    public record Config(Path folder, String glob, int minFiles, long minBytes, Duration debounce) {
        public Config {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(debounce, "debounce");
            if (glob == null || glob.isBlank()) {
                throw FlywheelException.invalid("Folder trigger on " + folder + " has no file pattern; give a glob"
                        + " such as *.csv");
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                throw FlywheelException.invalid("Folder trigger pattern '" + glob + "' is not a valid glob: "
                        + e.getMessage());
            }
            if (minFiles < 1 || minBytes < 0 || debounce.isNegative()) {
                throw FlywheelException.invalid("Folder trigger on " + folder + ": minFiles must be >= 1 (got "
                        + minFiles + "), minBytes >= 0 (got " + minBytes + "), debounce >= 0 (got " + debounce + ")");
            }
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw FlywheelException.invalid("Folder trigger path " + folder + " is a file, not a folder; point it"
                        + " at the folder the files arrive in");
            }
        }

        /** One new file, no byte minimum, a 30-second debounce. */
        public static Config of(Path folder, String glob) {
            return new Config(folder, glob, 1, 0, Duration.ofSeconds(30));
        }

        public Config minFiles(int n) {
            return new Config(folder, glob, n, minBytes, debounce);
        }

        public Config minBytes(long n) {
            return new Config(folder, glob, minFiles, n, debounce);
        }

        public Config debounce(Duration quiet) {
            return new Config(folder, glob, minFiles, minBytes, quiet);
        }
    }

    /**
     * Takes a snapshot of the folder and decides against {@code consumed}. On {@link TriggerCheck.Fire} the
     * reason lists exactly the new and changed files (sorted) and the state adds them to the consumed ones.
     *
     * @throws FlywheelException UNAVAILABLE when the folder cannot be read
     */
    public TriggerCheck<FolderState> check(FolderState consumed) {
        Instant now = clock.instant();
        Path folder = config.folder();
        if (!Files.isDirectory(folder)) {
            return new TriggerCheck.Wait<>("folder " + folder + " does not exist yet", consumed);
        }
        Map<String, FolderState.FileStamp> present = snapshot(folder);
        // Forget consumed files that are gone, so the state does not grow without bound.
        Map<String, FolderState.FileStamp> kept = new TreeMap<>(consumed.consumed());
        kept.keySet().retainAll(present.keySet());
        FolderState state = kept.size() == consumed.consumed().size() ? consumed : new FolderState(kept);

        Map<String, FolderState.FileStamp> candidates = new TreeMap<>();
        present.forEach((name, stamp) -> {
            if (!stamp.equals(kept.get(name))) {
                candidates.put(name, stamp);
            }
        });
        seen.keySet().retainAll(candidates.keySet());
        Instant lastChange = Instant.MIN;
        for (Map.Entry<String, FolderState.FileStamp> c : candidates.entrySet()) {
            Seen previous = seen.get(c.getKey());
            if (previous == null || !previous.stamp().equals(c.getValue())) {
                previous = new Seen(c.getValue(), now);
                seen.put(c.getKey(), previous);
            }
            if (previous.since().isAfter(lastChange)) {
                lastChange = previous.since();
            }
        }
        long bytes = candidates.values().stream().mapToLong(FolderState.FileStamp::size).sum();
        if (candidates.size() < config.minFiles() || bytes < config.minBytes()) {
            return new TriggerCheck.Wait<>(candidates.size() + " new file(s), " + bytes + " bytes; waiting for "
                    + config.minFiles() + " file(s) and " + config.minBytes() + " bytes", state);
        }
        Duration quiet = Duration.between(lastChange, now);
        if (quiet.compareTo(config.debounce()) < 0) {
            return new TriggerCheck.Wait<>(candidates.size() + " new file(s) changed " + quiet.toSeconds()
                    + "s ago; waiting until they are unchanged for " + config.debounce().toSeconds() + "s", state);
        }
        Map<String, FolderState.FileStamp> after = new TreeMap<>(kept);
        after.putAll(candidates);
        List<String> files = List.copyOf(candidates.keySet());
        seen.keySet().removeAll(candidates.keySet());
        log.info("folder trigger fired: folder={} files={} bytes={}", folder, files.size(), bytes);
        return new TriggerCheck.Fire<>(new LaunchReason.NewFiles(folder.toAbsolutePath().toString(), files), new FolderState(after));
    }

    private Map<String, FolderState.FileStamp> snapshot(Path folder) {
        Map<String, FolderState.FileStamp> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> paths = walk.filter(p -> matcher.matches(folder.relativize(p))).toList();
            for (Path p : paths) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        String name = SEPARATOR.matcher(folder.relativize(p).toString()).replaceAll("/");
                        files.put(name, new FolderState.FileStamp(a.size(), a.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException gone) {
                    // deleted between listing and reading: not there
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read folder " + folder
                    + " for its trigger: " + e.getMessage() + "; check that it exists and is readable", e);
        }
        return files;
    }

    private record Seen(FolderState.FileStamp stamp, Instant since) {
    }

    @Override
    public String toString() {
        return "FolderTrigger[" + config.folder() + " " + config.glob() + "]";
    }
}
