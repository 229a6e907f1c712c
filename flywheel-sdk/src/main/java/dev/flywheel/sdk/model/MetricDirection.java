package dev.flywheel.sdk.model;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a smaller or a larger value of a metric is better, judged from its name. The model registry compares versions
 * with it and the deployment gate takes a condition's direction from it unless the condition states one.
 */
public enum MetricDirection {
    LOWER_IS_BETTER, HIGHER_IS_BETTER, UNKNOWN;

    private static final Set<String> LOWER = Set.of("rmse", "mse", "mae", "mape", "smape", "rmsle", "msle", "logloss", "loss",
            "error", "brier", "deviance", "medae", "latency", "size", "bytes");
    private static final Set<String> HIGHER = Set.of("accuracy", "acc", "auc", "aucpr", "r2", "f1", "precision", "recall",
            "ndcg", "map", "ap", "kappa");

    /**
     * The direction of {@code metric}, from any word of its name: {@code rmse}, {@code test_rmse} and {@code rmse-holdout}
     * are lower-is-better; {@code accuracy}, {@code auc} and {@code r2} higher-is-better; anything else unknown.
     */
    public static MetricDirection of(String metric) {
        for (String word : metric.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (LOWER.contains(word)) {
                return LOWER_IS_BETTER;
            }
            if (HIGHER.contains(word)) {
                return HIGHER_IS_BETTER;
            }
        }
        return UNKNOWN;
    }
}
