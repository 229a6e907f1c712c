package dev.flywheel.schedule.daemon;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Whether a project's scheduler daemon runs, as {@code flywheel scheduler status} shows it.
 *
 * @param running     whether the process the pid file names still runs (pid and start time checked)
 * @param pid         its pid, or null
 * @param startedAt   when it started, or null
 * @param webhookPort the port its webhook endpoint listens on (127.0.0.1), or null for none
 * @param log         its log file
 */
public record SchedulerStatus(boolean running, Long pid, Instant startedAt, Integer webhookPort, Path log) {
}
