package dev.flywheel.schedule.daemon;

import java.time.Instant;

/**
 * What a scheduler's loop writes after every pass ({@code heartbeat.json} in its folder), so {@code scheduler status}
 * can tell a live, firing loop from a stuck one.
 *
 * @param pid                the scheduler's process
 * @param owner              its name in the fires table
 * @param beatAt             when the loop last finished a pass, successful or not
 * @param lastPassAt         when a pass last succeeded; null before the first
 * @param lastPassMillis     how long that pass took
 * @param failingSince       when passes started failing; null while they succeed
 * @param lastError          why the last pass failed; null while they succeed
 * @param pollIntervalMillis how often the loop passes at least
 * @param broken             schedules and triggers the scheduler found broken and skips (see {@code schedules list})
 */
public record Heartbeat(long pid, String owner, Instant beatAt, Instant lastPassAt, long lastPassMillis, Instant failingSince,
                        String lastError, long pollIntervalMillis, int broken) {
}
