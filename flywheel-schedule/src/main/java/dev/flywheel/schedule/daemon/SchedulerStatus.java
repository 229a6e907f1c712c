package dev.flywheel.schedule.daemon;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code flywheel scheduler status} shows: whether the project's scheduler daemon runs, and whether its loop is
 * live, failing or stuck (from its heartbeat), with its webhook port and log. Read from the daemon's folder only.
 *
 * @param pid         the daemon's pid, empty when none runs
 * @param startedAt   when its process started
 * @param webhookPort the endpoint's port (127.0.0.1), empty when it has none
 */
public record SchedulerStatus(Optional<Long> pid, Optional<Instant> startedAt, Optional<Integer> webhookPort, SchedulerHealth health,
                              Path log) {

    /** Reads the folder: the pid file (pid and start time checked), the heartbeat of that process, the port file. */
    public static SchedulerStatus read(DaemonFiles files, Instant now) {
        Optional<ProcessHandle> running = files.pid().running();
        Optional<Long> pid = running.map(ProcessHandle::pid);
        // a heartbeat left by an earlier daemon (killed with -9) says nothing about this one
        Optional<Heartbeat> beat = files.heartbeat().filter(b -> pid.isPresent() && b.pid() == pid.get());
        long port = files.folder().readLong(files.portFile().getFileName().toString());
        return new SchedulerStatus(pid, running.flatMap(h -> h.info().startInstant()),
                running.isPresent() && port > 0 ? Optional.of((int) port) : Optional.empty(),
                SchedulerHealth.of(running.isPresent(), beat, now), files.logFile());
    }

    public boolean running() {
        return pid.isPresent();
    }
}
