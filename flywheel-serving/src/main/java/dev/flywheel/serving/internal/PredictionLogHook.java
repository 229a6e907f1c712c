package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;

import java.time.Instant;

/**
 * The prediction log's place on the scoring path: every scored request of every transport is offered to the log
 * (sampled, queued, never blocking or failing the request; see {@link PredictionLog#record}). A request that came
 * without an id (gRPC without {@code id}) gets one here, so every logged row can be labelled later.
 */
public final class PredictionLogHook implements PredictionHook {
    private final PredictionLog log;

    public PredictionLogHook(PredictionLog log) {
        this.log = log;
    }

    @Override
    public void scored(ScoreCall call, ServedModel version, FeatureBatch batch, Predictions predictions) {
        long latency = System.nanoTime() - call.startNanos();
        String id = call.requestId() != null ? call.requestId() : RequestIds.next();
        log.record(new PredictionEvent(id, Instant.now().minusNanos(latency), version.logSchema(), batch.rows(), batch.values(),
                predictions.values(), latency));
    }

    @Override
    public String toString() {
        return "prediction log";
    }
}
