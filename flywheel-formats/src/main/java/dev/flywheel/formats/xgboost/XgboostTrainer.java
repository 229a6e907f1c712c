package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains an XGBoost booster from a {@link FeatureBatch} and returns it as a {@link Model} of format
 * {@code xgboost} (UBJSON bytes), ready to be returned from a pipeline step. Immutable and thread-safe.
 *
 * <pre>{@code
 * Model model = XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.1), 100)
 *         .fit(features, counts, ModelSignature.regression(columns), "bike_demand");
 * }</pre>
 *
 * <p>{@code params} are XGBoost's own training parameters; the factory sets the objective (and
 * {@code num_class}), and a conflicting objective in {@code params} is rejected rather than silently overridden.
 */
public final class XgboostTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(XgboostTrainer.class);

    /** What is learnt; decides the objective, the label check and the output width. */
    private sealed interface Task {
        record Regression(String objective) implements Task {
        }

        record Binary() implements Task {
        }

        record MultiClass(int classes) implements Task {
        }
    }

    private final Task task;
    private final Map<String, Object> params;
    private final int rounds;

    private XgboostTrainer(Task task, Map<String, Object> params, int rounds) {
        if (rounds <= 0) {
            throw FlywheelException.invalid("XGBoost needs at least 1 boosting round, got " + rounds);
        }
        this.task = task;
        this.params = Map.copyOf(params);
        this.rounds = rounds;
    }

    /**
     * A regressor: objective {@code reg:squarederror} unless {@code params} names another {@code reg:},
     * {@code count:} or {@code survival:} objective. Output width 1.
     */
    public static XgboostTrainer regression(Map<String, Object> params, int rounds) {
        Object objective = params.getOrDefault("objective", "reg:squarederror");
        String o = String.valueOf(objective);
        if (!(o.startsWith("reg:") || o.startsWith("count:") || o.startsWith("survival:"))) {
            throw FlywheelException.invalid("Objective '" + o + "' is not a regression objective; use "
                    + "XgboostTrainer.binaryClassification or multiClassification for classifiers");
        }
        return new XgboostTrainer(new Task.Regression(o), params, rounds);
    }

    /** A binary classifier ({@code binary:logistic}): labels 0 or 1, output width 1 (probability of 1). */
    public static XgboostTrainer binaryClassification(Map<String, Object> params, int rounds) {
        requireObjective(params, "binary:logistic");
        return new XgboostTrainer(new Task.Binary(), params, rounds);
    }

    /**
     * A multi-class classifier ({@code multi:softprob}): labels 0..classes-1, output width {@code classes}
     * (one probability per class).
     */
    public static XgboostTrainer multiClassification(int classes, Map<String, Object> params, int rounds) {
        if (classes < 2) {
            throw FlywheelException.invalid("A multi-class classifier needs at least 2 classes, got " + classes);
        }
        requireObjective(params, "multi:softprob");
        Object numClass = params.get("num_class");
        if (numClass != null && !String.valueOf(numClass).equals(String.valueOf(classes))) {
            throw FlywheelException.invalid("params say num_class=" + numClass + " but the trainer was built for "
                    + classes + " classes; drop num_class from params");
        }
        return new XgboostTrainer(new Task.MultiClass(classes), params, rounds);
    }

    private static void requireObjective(Map<String, Object> params, String objective) {
        Object given = params.get("objective");
        if (given != null && !objective.equals(String.valueOf(given))) {
            throw FlywheelException.invalid("params set objective '" + given + "' but this trainer uses '"
                    + objective + "'; drop objective from params");
        }
    }

    /** Values per predicted row of the trained model. */
    public int outputWidth() {
        return task instanceof Task.MultiClass(int classes) ? classes : 1;
    }

    /**
     * Trains on {@code x} (columns in {@code signature}'s input order) and labels {@code y}.
     *
     * @param signature the inputs, one per column of {@code x}; if its outputs are empty they are filled in
     *                  ({@code prediction}, {@code probability}, or {@code p_0..p_k-1} for classes)
     * @throws FlywheelException with {@code INVALID_ARGUMENT} when shapes, labels or the signature do not fit
     */
    public Model fit(FeatureBatch x, float[] y, ModelSignature signature, String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        ModelSignature sig = withOutputs(signature);
        checkShapes(x, y, sig, modelName);
        checkLabels(y, modelName);
        Map<String, Object> p = new LinkedHashMap<>(params);
        switch (task) {
            case Task.Regression r -> p.put("objective", r.objective());
            case Task.Binary b -> p.put("objective", "binary:logistic");
            case Task.MultiClass m -> {
                p.put("objective", "multi:softprob");
                p.put("num_class", m.classes());
            }
        }
        long start = System.nanoTime();
        DMatrix train = null;
        Booster booster = null;
        try {
            train = new DMatrix(x.values(), x.rows(), x.columns(), Float.NaN);
            train.setLabel(y);
            booster = XGBoost.train(train, p, rounds, Map.of(), null, null);
            byte[] bytes = booster.toByteArray("ubj");
            LOG.debug("trained xgboost model name={} rows={} columns={} rounds={} ms={}", modelName, x.rows(),
                    x.columns(), rounds, (System.nanoTime() - start) / 1_000_000);
            return new Model(modelName, XgboostFormat.NAME, bytes, sig, Map.of());
        } catch (XGBoostError e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "XGBoost could not train model '" + modelName
                    + "' with params " + p + ": " + NativeErrors.summary(e) + "; check the parameters", e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (train != null) {
                train.dispose();
            }
        }
    }

    private ModelSignature withOutputs(ModelSignature signature) {
        if (!signature.outputs().isEmpty()) {
            return signature;
        }
        List<Feature> outputs = new ArrayList<>();
        switch (task) {
            case Task.Regression r -> outputs.add(Feature.fp32("prediction"));
            case Task.Binary b -> outputs.add(Feature.fp32("probability"));
            case Task.MultiClass m -> {
                for (int c = 0; c < m.classes(); c++) {
                    outputs.add(Feature.fp32("p_" + c));
                }
            }
        }
        return new ModelSignature(signature.inputs(), outputs);
    }

    private void checkShapes(FeatureBatch x, float[] y, ModelSignature sig, String modelName) {
        if (x.rows() == 0) {
            throw FlywheelException.invalid("No training rows for model '" + modelName + "'; check the data step");
        }
        if (x.columns() != sig.inputs().size()) {
            throw FlywheelException.invalid("Training data for model '" + modelName + "' has " + x.columns()
                    + " columns but the signature declares " + sig.inputs().size() + " inputs " + sig.inputNames());
        }
        if (y.length != x.rows()) {
            throw FlywheelException.invalid("Model '" + modelName + "' got " + x.rows() + " training rows but "
                    + y.length + " labels; pass one label per row");
        }
        if (sig.outputs().size() != outputWidth()) {
            throw FlywheelException.invalid("Model '" + modelName + "' will produce " + outputWidth()
                    + " values per row, but the signature declares " + sig.outputs().size() + " outputs "
                    + sig.outputs().stream().map(Feature::name).toList() + "; declare " + outputWidth()
                    + " outputs or leave them empty");
        }
    }

    private void checkLabels(float[] y, String modelName) {
        for (int i = 0; i < y.length; i++) {
            float v = y[i];
            String problem = switch (task) {
                case Task.Regression r -> Float.isFinite(v) ? null : "is not a finite number";
                case Task.Binary b -> v == 0f || v == 1f ? null : "is not 0 or 1";
                case Task.MultiClass m -> v >= 0 && v < m.classes() && v == Math.rint(v)
                        ? null : "is not a class index in 0.." + (m.classes() - 1);
            };
            if (problem != null) {
                throw FlywheelException.invalid("Label " + v + " at row " + i + " of model '" + modelName + "' "
                        + problem + "; clean the labels before training");
            }
        }
    }
}
