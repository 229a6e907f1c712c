package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.util.Arrays;

/**
 * The {@code xgboost} model format: a booster saved by XGBoost (UBJSON, JSON or the legacy binary format,
 * as written by {@code Booster.saveModel} or {@code Booster.toByteArray("ubj")}) and predicted through
 * XGBoost4J. Missing values are {@link Float#NaN}.
 *
 * <p>Loaded boosters predict with one native thread per call: a prediction server gets its parallelism from
 * concurrent requests, and one large batch must not take every core from the requests beside it. On small
 * batches this costs nothing measurable (see docs/benchmarks-formats.md).
 */
public final class XgboostFormat implements ModelFormat {
    public static final String NAME = "xgboost";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LoadedModel load(byte[] content, String origin, ModelSignature signature) {
        if (content.length == 0) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " is empty (0 bytes); it was not written completely. Save the model again with Booster.saveModel");
        }
        Booster booster;
        try {
            booster = XGBoost.loadModel(content);
        } catch (XGBoostError | IOException | RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " (" + content.length
                    + " bytes) is not a readable XGBoost model: " + NativeErrors.summary(e)
                    + ". Check that it is complete and was saved with Booster.saveModel or toByteArray(\"ubj\")", e);
        }
        try {
            long features = booster.getNumFeature();
            int declared = signature.inputs().size();
            if (features != declared) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " was trained on "
                        + features + " features, but its signature declares " + declared + " inputs "
                        + signature.inputNames() + "; the signature must list the training columns in training order");
            }
            booster.setParam("nthread", 1);
            float[] missingRow = new float[declared];
            Arrays.fill(missingRow, Float.NaN);
            int width = booster.inplace_predict(missingRow, 1, declared, Float.NaN)[0].length;
            SignatureChecks.requireOutputWidth(width, signature, origin);
            return new XgboostModel(booster, signature, width, origin);
        } catch (XGBoostError e) {
            booster.dispose();
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " loaded but cannot predict: " + NativeErrors.summary(e), e);
        } catch (RuntimeException e) {
            booster.dispose();
            throw e;
        }
    }
}
