package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.formats.xgboost.internal.BoosterModel;
import dev.flywheel.formats.xgboost.internal.MalformedModel;
import dev.flywheel.formats.xgboost.internal.ModelJson;
import dev.flywheel.formats.xgboost.internal.ModelUbj;
import dev.flywheel.formats.xgboost.internal.NativeInput;
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
 * <p>By default ({@link XgboostPredictor#JAVA}) a gbtree model is evaluated in plain Java: JSON and UBJSON are
 * read in Java, the legacy binary format is converted to JSON once through XGBoost4J at load time and the native
 * booster is freed. Predictions agree with XGBoost4J's to float rounding, without its ~200 µs fixed cost per call. Models
 * the Java evaluator does not reproduce (dart, gblinear, categorical splits, several targets, objectives other
 * than squared/squared-log/absolute/pseudo-Huber error, logistic, logitraw, poisson, gamma, tweedie,
 * softprob and softmax) predict through XGBoost4J, with the reason logged at WARN.
 * {@link XgboostPredictor#NATIVE} always uses XGBoost4J.
 *
 * <p>No bytes reach XGBoost4J unparsed: JSON and UBJSON are read completely in Java first, the legacy binary
 * header is checked, and a truncated or malformed file fails with {@code INVALID_MODEL} naming the byte offset
 * (XGBoost 2.1's own parser can crash the JVM on some truncated UBJSON).
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
        // Read in Java first whatever the predictor: a malformed document or contradictory trees must fail
        // here, with the byte offset, because XGBoost's own parser can crash the JVM on them.
        ModelJson.Result read = readInJava(content, origin);
        if (read instanceof ModelJson.Result.Invalid(String reason)) {
            throw invalid(origin, content, reason);
        }
        if (predictor == XgboostPredictor.NATIVE) {
            return loadNative(readBooster(content, origin), origin, signature);
        }
        return switch (read) {
            case null -> loadLegacyBinary(content, origin, signature);
            case ModelJson.Result.Supported(TreeEnsemble ensemble) -> checked(ensemble, origin, signature);
            case ModelJson.Result.Unsupported(String reason) -> fallBackToNative(content, origin, signature, reason);
            case ModelJson.Result.Invalid(String reason) -> throw invalid(origin, content, reason);
        };
    }

    /** JSON or UBJSON read without native code; {@code null} for the legacy binary format, which needs XGBoost. */
    private static ModelJson.Result readInJava(byte[] content, String origin) {
        try {
            if (ModelJson.looksLikeJson(content)) {
                return ModelJson.read(content);
            }
            return content[0] == '{' ? ModelUbj.read(content) : null;
        } catch (MalformedModel e) {
            throw invalid(origin, content, e.getMessage());
        }
    }

    private static LoadedModel fallBackToNative(byte[] content, String origin, ModelSignature signature,
                                                String reason) {
        Booster booster = readBooster(content, origin);
        LOG.warn("xgboost model origin={} predicts through native XGBoost4J (~200 us per call) because {}",
                origin, reason);
        return loadNative(booster, origin, signature);
    }

    /** The legacy binary format has no Java reader: XGBoost loads it and dumps it as JSON for the evaluator. */
    private static LoadedModel loadLegacyBinary(byte[] content, String origin, ModelSignature signature) {
        Booster booster = readBooster(content, origin);
        byte[] json;
        try {
            json = booster.toByteArray("json");
        } catch (XGBoostError e) {
            booster.dispose();
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " loaded but cannot be converted to JSON: " + NativeErrors.summary(e), e);
        }
        switch (ModelJson.read(json)) {
            case ModelJson.Result.Supported(TreeEnsemble ensemble) -> {
                booster.dispose();
                return checked(ensemble, origin, signature);
            }
            case ModelJson.Result.Unsupported(String reason) -> {
                LOG.warn("xgboost model origin={} predicts through native XGBoost4J (~200 us per call) because {}",
                        origin, reason);
                return loadNative(booster, origin, signature);
            }
            case ModelJson.Result.Invalid(String reason) -> {
                booster.dispose();
                throw invalid(origin, content, reason);
            }
        }
    }

    private static FlywheelException invalid(String origin, byte[] content, String what) {
        return new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " (" + content.length
                + " bytes) is not a readable XGBoost model: " + what
                + ". Check that it is complete and was saved with Booster.saveModel or toByteArray(\"ubj\")");
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

    /** The only way bytes reach XGBoost4J: checked to be a complete document first. */
    private static Booster readBooster(byte[] content, String origin) {
        try {
            NativeInput.requireWellFormed(content);
        } catch (MalformedModel e) {
            throw invalid(origin, content, e.getMessage());
        }
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
