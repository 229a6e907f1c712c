package dev.flywheel.formats.xgboost.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

/**
 * An XGBoost model predicting in plain Java through a {@link TreeEnsemble}: no native call, no lock, and a
 * prediction allocates only its output. Holds no native memory, so {@link #close} only refuses later calls.
 */
public final class TreeEnsembleModel implements LoadedModel {
    private final TreeEnsemble ensemble;
    private final ModelSignature signature;
    private final String origin;
    private volatile boolean closed;

    public TreeEnsembleModel(TreeEnsemble ensemble, ModelSignature signature, String origin) {
        this.ensemble = ensemble;
        this.signature = signature;
        this.origin = origin;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int outputWidth() {
        return ensemble.width();
    }

    @Override
    public Predictions predict(FeatureBatch batch) {
        if (closed) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Model " + origin + " was closed; load it again");
        }
        SignatureChecks.requireBatchFits(batch, signature, origin);
        int width = ensemble.width();
        float[] out = new float[batch.rows() * width];
        ensemble.predict(batch.values(), batch.rows(), out);
        return new Predictions(batch.rows(), width, out);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "TreeEnsembleModel[" + origin + ", trees=" + ensemble.trees() + ", inputs=" + ensemble.features()
                + ", width=" + ensemble.width() + "]";
    }
}
