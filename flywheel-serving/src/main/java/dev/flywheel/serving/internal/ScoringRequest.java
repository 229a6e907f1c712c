package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;

/** A decoded prediction request: whatever the transport's codec keeps for its answer, plus the rows to score. */
public interface ScoringRequest {
    FeatureBatch batch();
}
