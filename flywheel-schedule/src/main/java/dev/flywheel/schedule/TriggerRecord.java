package dev.flywheel.schedule;

import java.time.Instant;

/**
 * A registered trigger as stored.
 *
 * @param stateJson what the trigger consumed so far (folder files, row count, last upstream run), as JSON
 * @param broken    why the scheduler stopped checking it; null while it is checked
 */
public record TriggerRecord(String id, String pipeline, TriggerSpec spec, LaunchSpec launch, int maxConcurrentRuns,
                            boolean paused, String stateJson, Instant createdAt, Instant updatedAt, Broken broken) {
}
