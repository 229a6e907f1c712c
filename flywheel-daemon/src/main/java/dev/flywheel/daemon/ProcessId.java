package dev.flywheel.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One process of this machine, named so that it cannot be mistaken for another: its pid and the time it started.
 * Pids are reused after a process ends (and after a reboot), so a pid alone may name an unrelated process; the
 * pid with its start time does not. Both instants come from the same operating-system record, so they agree to the
 * clock tick; a second of slack covers rounding.
 *
 * @param pid       the process id
 * @param startedAt when it started, or null where the system does not say (then the pid alone is checked)
 */
public record ProcessId(long pid, Instant startedAt) {
    private static final long SAME_START_MILLIS = 1000;

    public ProcessId {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
    }

    /** The id of a running process. */
    public static ProcessId of(ProcessHandle process) {
        return new ProcessId(process.pid(), process.info().startInstant().orElse(null));
    }

    public static ProcessId current() {
        return of(ProcessHandle.current());
    }

    /** The process, while it runs and is the one this id names. */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
    }

    public boolean isAlive() {
        return live().isPresent();
    }

    private boolean sameStart(ProcessHandle p) {
        if (startedAt == null) {
            return true;
        }
        return p.info().startInstant().map(actual -> Math.abs(actual.toEpochMilli() - startedAt.toEpochMilli()) <= SAME_START_MILLIS)
                .orElse(true);
    }

    /** {@code PID START_EPOCH_MILLIS}, or {@code PID} alone when the start time is unknown; {@link #parse} reads it back. */
    public String text() {
        return startedAt == null ? Long.toString(pid) : pid + " " + startedAt.toEpochMilli();
    }

    /** Reads {@link #text()}; a bare pid (as older pid files hold) has no start time. Empty when it is not one. */
    public static Optional<ProcessId> parse(String text) {
        String[] parts = Objects.requireNonNullElse(text, "").strip().split("\\s+");
        try {
            long pid = Long.parseLong(parts[0]);
            if (pid <= 0 || parts.length > 2) {
                return Optional.empty();
            }
            return Optional.of(new ProcessId(pid, parts.length == 2 ? Instant.ofEpochMilli(Long.parseLong(parts[1])) : null));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The command line of a running process, arguments separated by spaces; empty when it is gone or unreadable.
     * Right after a launch it may still be the JVM's spawn helper's, until the exec has happened.
     */
    public static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        }
    }
}
