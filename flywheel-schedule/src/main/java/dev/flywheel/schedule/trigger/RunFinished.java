package dev.flywheel.schedule.trigger;

import java.time.Instant;
import java.util.Objects;

/**
 * A pipeline run ended. The scheduler receives these from the engine's run events.
 *
 * @param pipeline   the pipeline's name
 * @param runId      the run's id
 * @param status     how it ended
 * @param finishedAt when it ended
 */
public record RunFinished(String pipeline, String runId, Status status, Instant finishedAt) {
    public RunFinished {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** How a run ended. */
    public enum Status {
        SUCCEEDED, FAILED, CANCELLED
    }
}
