package dev.flywheel.registry;

import dev.flywheel.sdk.model.MetricDirection;
import dev.flywheel.sdk.FlywheelException;

import java.util.List;

/**
 * Two versions' metrics side by side, every metric either has, sorted by name.
 *
 * @param a the first version compared (for a deploy gate: the candidate)
 * @param b the second (for a deploy gate: production)
 */
public record ModelComparison(ModelVersion a, ModelVersion b, List<Metric> metrics) {
    public ModelComparison {
        metrics = List.copyOf(metrics);
    }

    /** Which side is better on one metric. */
    public enum Winner {
        A, B, TIE,
        /** The metric's direction is unknown, or one side lacks it. */
        UNDECIDED
    }

    /**
     * One metric of both versions; a side without the metric is null.
     *
     * @param change {@code a - b}, or null when a side lacks the metric
     */
    public record Metric(String name, Double a, Double b, Double change, MetricDirection direction, Winner winner) {
    }

    /**
     * The comparison of {@code metric}.
     *
     * @throws FlywheelException NOT_FOUND when neither version has that metric; the message lists the metrics they have
     */
    public Metric metric(String metric) {
        return metrics.stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow(() -> FlywheelException.notFound(
                "Neither version " + a.model() + " " + a.version() + " nor " + b.model() + " " + b.version() + " has metric '" + metric
                        + "'; they have: " + metrics.stream().map(Metric::name).toList()));
    }
}
