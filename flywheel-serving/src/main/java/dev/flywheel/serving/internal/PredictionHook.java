package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;

/**
 * Sees every scored request of every transport (REST and gRPC), after the model answered and the answer was encoded,
 * before it is sent. Hooks run in the order they were added, on the request's thread: they must neither throw nor
 * block (queue the work, like the prediction log does); a hook that throws is logged and skipped.
 */
@FunctionalInterface
public interface PredictionHook {
    void scored(ScoreCall call, ServedModel version, FeatureBatch batch, Predictions predictions);
}
