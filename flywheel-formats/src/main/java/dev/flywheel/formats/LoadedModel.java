package dev.flywheel.formats;

import dev.flywheel.sdk.model.ModelSignature;

/**
 * A model in memory, ready to predict. {@link #predict} is thread-safe and may be called concurrently;
 * {@link #close} frees native memory, must be called once no prediction is in flight, and is safe to call twice.
 */
public interface LoadedModel extends AutoCloseable {

    ModelSignature signature();

    /** Values per predicted row: 1 for a regressor or binary classifier, one per class for class probabilities. */
    int outputWidth();

    /**
     * Predicts every row of {@code batch} in one call into the model library.
     *
     * @throws dev.flywheel.sdk.FlywheelException with {@code INVALID_ARGUMENT} when the batch's column count
     *         differs from the signature's inputs, or {@code UNAVAILABLE} after {@link #close}
     */
    Predictions predict(FeatureBatch batch);

    @Override
    void close();
}
