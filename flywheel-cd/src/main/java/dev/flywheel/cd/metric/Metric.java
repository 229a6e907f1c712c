package dev.flywheel.cd.metric;

import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.MetricDirection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An evaluation metric computed from labels and a model's predictions on the same rows. Regression metrics read the
 * first output; classification metrics read class probabilities (one output = the probability of class 1; k outputs
 * = one probability per class) and take labels 0..k-1. Values agree with scikit-learn's functions of the same name.
 */
public sealed interface Metric permits RegressionMetric, ClassificationMetric {

    /** The canonical name ({@code rmse}, {@code roc_auc}). */
    String metricName();

    /** Whether smaller or larger is better. */
    MetricDirection direction();

    /**
     * The metric of {@code predictions} against {@code labels}.
     *
     * @param decisionThreshold a binary classifier predicts class 1 when its probability is at least this
     * @throws FlywheelException INVALID_ARGUMENT when the labels do not suit the metric (non-integer classes, one class only)
     */
    double compute(double[] labels, Predictions predictions, double decisionThreshold);

    /** The built-in metric called {@code name} (case-insensitive; {@code auc}, {@code logloss}, {@code f1_score} are accepted too). */
    static Optional<Metric> named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (RegressionMetric m : RegressionMetric.values()) {
            if (m.metricName().equals(n)) {
                return Optional.of(m);
            }
        }
        String canonical = switch (n) {
            case "auc", "rocauc", "roc_auc_score" -> "roc_auc";
            case "logloss", "cross_entropy" -> "log_loss";
            case "f1_score", "f" -> "f1";
            case "acc" -> "accuracy";
            default -> n;
        };
        for (ClassificationMetric m : ClassificationMetric.values()) {
            if (m.metricName().equals(canonical)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Every built-in metric's name, for error messages. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (RegressionMetric m : RegressionMetric.values()) {
            out.add(m.metricName());
        }
        for (ClassificationMetric m : ClassificationMetric.values()) {
            out.add(m.metricName());
        }
        return out;
    }
}
