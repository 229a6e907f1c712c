package dev.flywheel.deploy.local;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a supervisor last saw of its server, written every {@link #INTERVAL} ({@code heartbeat}: server pid and whether
 * it answered its readiness probe). A reader trusts a heartbeat while it is fresh (younger than {@link #FRESH}) and
 * names the server the state file names; otherwise it probes the server itself. So listing services costs a file
 * read each, not an HTTP round trip each.
 *
 * @param serverPid the server the supervisor probed
 * @param ready     whether it answered {@code /v2/health/ready} with 200
 * @param at        when (the file's modification time)
 */
record Heartbeat(long serverPid, boolean ready, Instant at) {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration FRESH = Duration.ofMillis(3_500);
    /** How long the supervisor's own probe waits: a server that cannot answer within this is not ready. */
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(800);

    static void write(ServiceFolder folder, long serverPid, boolean ready) {
        ServiceFolder.writeAtomically(folder.heartbeat(), serverPid + " " + (ready ? "ready" : "unready") + "\n");
    }

    /** The heartbeat, when there is a well-formed one. */
    static Optional<Heartbeat> read(ServiceFolder folder) {
        Optional<String> text = ServiceFolder.read(folder.heartbeat());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = text.get().strip().split(" ");
        try {
            FileTime modified = Files.getLastModifiedTime(folder.heartbeat());
            if (parts.length != 2 || !(parts[1].equals("ready") || parts[1].equals("unready"))) {
                return Optional.empty();
            }
            return Optional.of(new Heartbeat(Long.parseLong(parts[0]), parts[1].equals("ready"), modified.toInstant()));
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this heartbeat speaks for server {@code pid} at {@code now}. */
    boolean vouchesFor(long pid, Instant now) {
        return pid > 0 && serverPid == pid && !at.isBefore(now.minus(FRESH)) && !at.isAfter(now.plus(INTERVAL));
    }
}
