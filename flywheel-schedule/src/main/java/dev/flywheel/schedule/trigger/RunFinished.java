package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.RunStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * A pipeline run ended. The scheduler reads these from the runs table.
 *
 * @param pipeline   the pipeline's name
 * @param runId      the run's id
 * @param status     how it ended
 * @param finishedAt when it ended
 */
public record RunFinished(String pipeline, String runId, RunStatus status, Instant finishedAt) {
    public RunFinished {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (!status.finished()) {
            throw new IllegalArgumentException("RunFinished needs a finished status, got " + status);
        }
    }
}
