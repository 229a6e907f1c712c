package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded booster. Predicts with {@code inplace_predict}: one native call straight from the row-major
 * array, without building a DMatrix, and - unlike {@code Booster.predict(DMatrix)}, which is
 * {@code synchronized} per booster - lock-free, so concurrent requests share one booster instead of a pool.
 */
final class XgboostModel implements LoadedModel {
    private final Booster booster;
    private final ModelSignature signature;
    private final int width;
    private final String origin;
    private final AtomicBoolean closed = new AtomicBoolean();

    XgboostModel(Booster booster, ModelSignature signature, int width, String origin) {
        this.booster = booster;
        this.signature = signature;
        this.width = width;
        this.origin = origin;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public Predictions predict(FeatureBatch batch) {
        if (closed.get()) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Model " + origin + " was closed; load it again");
        }
        SignatureChecks.requireBatchFits(batch, signature, origin);
        if (batch.rows() == 0) {
            return new Predictions(0, width, new float[0]);
        }
        float[][] rows;
        try {
            rows = booster.inplace_predict(batch.values(), batch.rows(), batch.columns(), Float.NaN);
        } catch (XGBoostError e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "XGBoost failed to predict " + batch.rows()
                    + " rows with model " + origin + ": " + NativeErrors.summary(e), e);
        }
        float[] out = new float[batch.rows() * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * width, width);
        }
        return new Predictions(batch.rows(), width, out);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            booster.dispose();
        }
    }

    @Override
    public String toString() {
        return "XgboostModel[" + origin + ", inputs=" + signature.inputs().size() + ", width=" + width + "]";
    }
}
