package dev.flywheel.formats;

import dev.flywheel.sdk.model.ModelSignature;

/**
 * A model in memory, ready to predict. {@link #predict} is thread-safe and may be called concurrently;
 * {@link #close} frees native memory and must be called once no prediction is in flight.
 */
public interface LoadedModel extends AutoCloseable {

    ModelSignature signature();

    /** Predicts every row of {@code batch} in one call into the model library. */
    Predictions predict(FeatureBatch batch);

    @Override
    void close();
}
