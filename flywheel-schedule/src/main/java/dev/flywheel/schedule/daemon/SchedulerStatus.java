package dev.flywheel.schedule.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code flywheel scheduler status} shows: whether the project's scheduler daemon runs, and whether its loop is
 * live, failing or stuck (from its heartbeat), with its webhook port and log. Read from the daemon's folder only.
 *
 * @param pid         the daemon's pid, empty when none runs
 * @param startedAt   when its process started
 * @param webhookPort the endpoint's port, empty when it has none
 */
public record SchedulerStatus(Optional<Long> pid, Optional<Instant> startedAt, Optional<Integer> webhookPort, SchedulerHealth health,
                              Path log) {

    public static SchedulerStatus read(DaemonFiles files, Instant now) {
        Optional<ProcessHandle> running = files.running();
        Optional<Long> pid = running.map(ProcessHandle::pid);
        // a heartbeat left by an earlier daemon (killed with -9) says nothing about this one
        Optional<Heartbeat> beat = files.heartbeat().filter(b -> pid.isPresent() && b.pid() == pid.get());
        Optional<Integer> port = Optional.empty();
        if (running.isPresent()) {
            try {
                port = Optional.of(Integer.parseInt(Files.readString(files.portFile()).strip()));
            } catch (IOException | NumberFormatException e) {
                // no endpoint
            }
        }
        return new SchedulerStatus(pid, running.flatMap(h -> h.info().startInstant()), port,
                SchedulerHealth.of(running.isPresent(), beat, now), files.logFile());
    }

    public boolean running() {
        return pid.isPresent();
    }
}
