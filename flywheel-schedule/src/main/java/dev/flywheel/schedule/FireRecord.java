package dev.flywheel.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * One fire of a schedule or trigger, as the scheduler recorded it.
 *
 * @param sourceId   the schedule's or trigger's id
 * @param fireKey    unique per source: the scheduled time, webhook delivery id, upstream run id or data digest
 * @param fireTime   the scheduled time of a schedule's fire; when a trigger's event was detected
 * @param trigger    the compact reason given to the run ({@code schedule:ID@TIME}, {@code webhook:DELIVERY}, ...)
 * @param reasonJson the full {@link dev.flywheel.sdk.LaunchReason} as JSON
 * @param params     parameters the run gets besides the source's own (for example the new files)
 * @param pid        the child process, once launched
 * @param runId      the run, once the child recorded it
 * @param logFile    the child's output
 * @param message    why it failed or was skipped, if it did
 */
public record FireRecord(String sourceId, String fireKey, SourceKind sourceKind, String pipeline, Instant fireTime,
                         FireState state, String trigger, String reasonJson, Map<String, String> params, String owner,
                         Long pid, String runId, String logFile, Instant createdAt, Instant launchedAt,
                         Instant finishedAt, String message) {

    /**
     * The fire's id across modules ({@code SOURCE_ID/FIRE_KEY}): the scheduler hands it to the run it launches, the
     * run records it, and the scheduler finds the run by it through the store's records API.
     */
    public String id() {
        return sourceId + "/" + fireKey;
    }

    /** What a fire belongs to. */
    public enum SourceKind {
        SCHEDULE, TRIGGER
    }
}
