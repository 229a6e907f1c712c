package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.formats.xgboost.internal.BoosterModel;
import dev.flywheel.formats.xgboost.internal.ModelJson;
import dev.flywheel.formats.xgboost.internal.TreeEnsemble;
import dev.flywheel.formats.xgboost.internal.TreeEnsembleModel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code xgboost} model format: a booster saved by XGBoost (UBJSON, JSON or the legacy binary format,
 * as written by {@code Booster.saveModel} or {@code Booster.toByteArray("ubj")}). Missing values are
 * {@link Float#NaN}.
 *
 * <p>By default ({@link XgboostPredictor#JAVA}) a gbtree model is evaluated in plain Java: JSON is read
 * directly, other encodings are converted to JSON once through XGBoost4J at load time and the native booster is
 * freed. Predictions agree with XGBoost4J's to float rounding, without its ~200 µs fixed cost per call. Models
 * the Java evaluator does not reproduce (dart, gblinear, categorical splits, several targets, objectives other
 * than squared/squared-log/absolute/pseudo-Huber error, logistic, logitraw, poisson, gamma, tweedie,
 * softprob and softmax) predict through XGBoost4J, with the reason logged at WARN.
 * {@link XgboostPredictor#NATIVE} always uses XGBoost4J.
 *
 * <p>Native boosters predict with one native thread per call: a prediction server gets its parallelism from
 * concurrent requests, and one large batch must not take every core from the requests beside it.
 */
public final class XgboostFormat implements ModelFormat {
    public static final String NAME = "xgboost";
    private static final Logger LOG = LoggerFactory.getLogger(XgboostFormat.class);

    /** The raw setting, parsed at load so a bad value fails the load with a clear message, not ServiceLoader. */
    private final String predictorSetting;

    /** The predictor named by system property {@value XgboostPredictor#PROPERTY}, {@code java} when unset. */
    public XgboostFormat() {
        this.predictorSetting = System.getProperty(XgboostPredictor.PROPERTY);
    }

    public XgboostFormat(XgboostPredictor predictor) {
        this.predictorSetting = Objects.requireNonNull(predictor, "predictor").name();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws FlywheelException also with {@code INVALID_ARGUMENT} when system property
     *         {@value XgboostPredictor#PROPERTY} names no predictor
     */
    @Override
    public LoadedModel load(byte[] content, String origin, ModelSignature signature) {
        XgboostPredictor predictor = XgboostPredictor.parse(predictorSetting);
        if (content.length == 0) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " is empty (0 bytes); it was not written completely. Save the model again with Booster.saveModel");
        }
        return switch (predictor) {
            case NATIVE -> loadNative(readBooster(content, origin), origin, signature);
            case JAVA -> loadJava(content, origin, signature);
        };
    }

    private static LoadedModel loadJava(byte[] content, String origin, ModelSignature signature) {
        Booster booster = null;
        byte[] json = content;
        if (!ModelJson.looksLikeJson(content)) {
            booster = readBooster(content, origin);
            try {
                json = booster.toByteArray("json");
            } catch (XGBoostError e) {
                booster.dispose();
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                        + " loaded but cannot be converted to JSON: " + NativeErrors.summary(e), e);
            }
        }
        switch (ModelJson.read(json)) {
            case ModelJson.Result.Supported(TreeEnsemble ensemble) -> {
                if (booster != null) {
                    booster.dispose();
                }
                return checked(ensemble, origin, signature);
            }
            case ModelJson.Result.Unsupported(String reason) -> {
                // Corrupt JSON lands here too: XGBoost's own reader then says what is wrong with it.
                Booster fallback = booster != null ? booster : readBooster(content, origin);
                LOG.warn("xgboost model origin={} predicts through native XGBoost4J (~200 us per call) because {}",
                        origin, reason);
                return loadNative(fallback, origin, signature);
            }
        }
    }

    private static LoadedModel checked(TreeEnsemble ensemble, String origin, ModelSignature signature) {
        requireFeatureCount(ensemble.features(), signature, origin);
        SignatureChecks.requireOutputWidth(ensemble.width(), signature, origin);
        // The probe row every format predicts at load: a model that loads also runs.
        float[] missingRow = new float[ensemble.features()];
        Arrays.fill(missingRow, Float.NaN);
        ensemble.predict(missingRow, 1, new float[ensemble.width()]);
        return new TreeEnsembleModel(ensemble, signature, origin);
    }

    private static Booster readBooster(byte[] content, String origin) {
        try {
            return XGBoost.loadModel(content);
        } catch (XGBoostError | IOException | RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " (" + content.length
                    + " bytes) is not a readable XGBoost model: " + NativeErrors.summary(e)
                    + ". Check that it is complete and was saved with Booster.saveModel or toByteArray(\"ubj\")", e);
        }
    }

    private static LoadedModel loadNative(Booster booster, String origin, ModelSignature signature) {
        try {
            requireFeatureCount(booster.getNumFeature(), signature, origin);
            booster.setParam("nthread", 1);
            BoosterModel model = BoosterModel.open(booster, signature, origin);
            SignatureChecks.requireOutputWidth(model.outputWidth(), signature, origin);
            return model;
        } catch (XGBoostError e) {
            booster.dispose();
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " loaded but cannot predict: " + NativeErrors.summary(e), e);
        } catch (RuntimeException e) {
            booster.dispose();
            throw e;
        }
    }

    private static void requireFeatureCount(long features, ModelSignature signature, String origin) {
        int declared = signature.inputs().size();
        if (features != declared) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " was trained on "
                    + features + " features, but its signature declares " + declared + " inputs "
                    + signature.inputNames() + "; the signature must list the training columns in training order");
        }
    }
}
