package dev.flywheel.schedule;

import dev.flywheel.sdk.Schedule;

import java.time.Instant;

/**
 * A registered schedule as stored.
 *
 * @param id        a short hexadecimal id (users type a unique prefix)
 * @param notBefore fires at or before this instant are never launched (set when the schedule is resumed); null if
 *                  never paused
 * @param broken    why the scheduler stopped firing it; null while it fires
 */
public record ScheduleRecord(String id, String pipeline, LaunchSpec launch, Schedule schedule, boolean paused,
                             Instant notBefore, Instant createdAt, Instant updatedAt, Broken broken) {
}
