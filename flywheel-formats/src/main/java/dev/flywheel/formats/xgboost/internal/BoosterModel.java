package dev.flywheel.formats.xgboost.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded booster predicting natively (the {@code native} predictor, and the fallback for models the Java
 * evaluator does not support). Predicts with {@code inplace_predict}: one native call straight from the row-major
 * array, without building a DMatrix, and - unlike {@code Booster.predict(DMatrix)}, which is
 * {@code synchronized} per booster - lock-free, so concurrent requests share one booster instead of a pool.
 */
public final class BoosterModel implements LoadedModel {
    private final Booster booster;
    private final ModelSignature signature;
    private final int width;
    private final String origin;
    /** False for boosters without {@code inplace_predict} (gblinear): they predict through a DMatrix. */
    private final boolean inplace;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BoosterModel(Booster booster, ModelSignature signature, int width, String origin, boolean inplace) {
        this.booster = booster;
        this.signature = signature;
        this.width = width;
        this.origin = origin;
        this.inplace = inplace;
    }

    /**
     * Wraps {@code booster} after predicting one all-missing row, which also gives the output width.
     *
     * @throws XGBoostError when the booster cannot predict at all
     */
    public static BoosterModel open(Booster booster, ModelSignature signature, String origin) throws XGBoostError {
        int columns = signature.inputs().size();
        float[] missingRow = new float[columns];
        Arrays.fill(missingRow, Float.NaN);
        boolean inplace = true;
        float[][] probe;
        try {
            probe = booster.inplace_predict(missingRow, 1, columns, Float.NaN);
        } catch (XGBoostError e) {
            if (!String.valueOf(e.getMessage()).contains("Inplace predict is not supported")) {
                throw e;
            }
            inplace = false;
            probe = predictWithDmatrix(booster, missingRow, 1, columns);
        }
        return new BoosterModel(booster, signature, probe[0].length, origin, inplace);
    }

    private static float[][] predictWithDmatrix(Booster booster, float[] values, int rows, int columns)
            throws XGBoostError {
        DMatrix matrix = new DMatrix(values, rows, columns, Float.NaN);
        try {
            return booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
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
            rows = inplace
                    ? booster.inplace_predict(batch.values(), batch.rows(), batch.columns(), Float.NaN)
                    : predictWithDmatrix(booster, batch.values(), batch.rows(), batch.columns());
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
        return "BoosterModel[" + origin + ", inputs=" + signature.inputs().size() + ", width=" + width + "]";
    }
}
