package dev.flywheel.formats.xgboost.internal;

import java.util.Map;
import java.util.Optional;

/**
 * The XGBoost objectives the Java evaluator reproduces: how the stored {@code base_score} becomes a margin
 * ({@code ProbToMargin}) and how summed margins become predictions ({@code PredTransform}). Both follow
 * XGBoost 2.x's float32 arithmetic so answers agree with XGBoost4J to float rounding.
 */
enum Objective {
    /** Margin is the prediction: squared, squared-log, absolute and pseudo-Huber error, binary:logitraw. */
    IDENTITY,
    /** {@code binary:logistic}, {@code reg:logistic}: sigmoid of the margin; base_score is a probability. */
    LOGISTIC,
    /** {@code count:poisson}, {@code reg:gamma}, {@code reg:tweedie}: log link, so prediction = exp(margin). */
    EXP,
    /** {@code multi:softprob}: one margin per class, softmax across them; output width = classes. */
    SOFTPROB,
    /** {@code multi:softmax}: the index of the largest class margin; output width 1. */
    SOFTMAX;

    private static final Map<String, Objective> BY_NAME = Map.ofEntries(
            Map.entry("reg:squarederror", IDENTITY),
            Map.entry("reg:squaredlogerror", IDENTITY),
            Map.entry("reg:absoluteerror", IDENTITY),
            Map.entry("reg:pseudohubererror", IDENTITY),
            // XGBoost 2.x stores logitraw's base_score as a margin already (its ProbToMargin is the identity).
            Map.entry("binary:logitraw", IDENTITY),
            Map.entry("binary:logistic", LOGISTIC),
            Map.entry("reg:logistic", LOGISTIC),
            Map.entry("count:poisson", EXP),
            Map.entry("reg:gamma", EXP),
            Map.entry("reg:tweedie", EXP),
            Map.entry("multi:softprob", SOFTPROB),
            Map.entry("multi:softmax", SOFTMAX));

    /** The objective of XGBoost name {@code name}, or empty when the Java evaluator does not reproduce it. */
    static Optional<Objective> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    boolean multiClass() {
        return this == SOFTPROB || this == SOFTMAX;
    }

    /** XGBoost's {@code ObjFunction::ProbToMargin}, in float32 like XGBoost. */
    float margin(float baseScore) {
        return switch (this) {
            case IDENTITY, SOFTPROB, SOFTMAX -> baseScore;
            case LOGISTIC -> (float) -Math.log(1.0f / baseScore - 1.0f);
            case EXP -> (float) Math.log(baseScore);
        };
    }

    /** Values per predicted row for a model with {@code groups} output groups (classes). */
    int width(int groups) {
        return this == SOFTMAX ? 1 : groups;
    }

    /** Turns one row's margins in {@code out[offset..offset+width)} into predictions, in place (not SOFTMAX). */
    void transform(float[] out, int offset, int groups) {
        switch (this) {
            case IDENTITY, SOFTMAX -> {
            }
            case LOGISTIC -> out[offset] = sigmoid(out[offset]);
            case EXP -> out[offset] = (float) Math.exp(out[offset]);
            case SOFTPROB -> softmax(out, offset, groups);
        }
    }

    /** XGBoost's {@code common::Sigmoid}, including its clamp that keeps {@code exp} finite in float32. */
    private static float sigmoid(float x) {
        return 1.0f / ((float) Math.exp(Math.min(-x, 88.7f)) + 1.0f);
    }

    /** XGBoost's {@code common::Softmax}: subtract the max, exponentiate, normalise, all in float32. */
    private static void softmax(float[] v, int offset, int n) {
        float max = v[offset];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, v[offset + i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(v[offset + i] - max);
            v[offset + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            v[offset + i] /= sum;
        }
    }
}
