package dev.flywheel.cd;

import dev.flywheel.cd.metric.Metric;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.MetricDirection;

/**
 * One condition of the deployment gate on one metric, like MLflow's {@code MetricThreshold}. The challenger's value
 * must reach {@code threshold} (when given), and beat the baseline's value (what serves, or production) by at least
 * {@code minAbsoluteChange} and by at least {@code minRelativeChange} of the baseline's value (when given; a negative
 * change is a tolerance: "may be worse by at most"). With neither change given, the challenger must be at least as
 * good as the baseline. Without a baseline only the threshold applies.
 *
 * <p>Metrics: the built-in ones ({@link Metric#names()}) are computed on the gate's evaluation data for both models;
 * {@code latency_p50_ms} / {@code latency_p95_ms} are measured (one-row predictions in this process) and
 * {@code model_size_bytes} is the model file's size; any other name is read from the metrics recorded with each
 * version in the registry.
 *
 * @param metric            the metric's name
 * @param direction         whether higher or lower is better; null reads it from the name ({@link MetricDirection#of})
 * @param threshold         the challenger's value must be at least (higher is better) or at most this; null: no bound
 * @param minAbsoluteChange the challenger must be better than the baseline by at least this; null: see above
 * @param minRelativeChange the challenger must be better by at least this fraction of the baseline's value (0.02 = 2%)
 */
public record Condition(String metric, MetricDirection direction, Double threshold, Double minAbsoluteChange, Double minRelativeChange) {
    public static final String LATENCY_P50 = "latency_p50_ms";
    public static final String LATENCY_P95 = "latency_p95_ms";
    public static final String MODEL_SIZE = "model_size_bytes";

    public Condition {
        if (metric == null || metric.isBlank()) {
            throw FlywheelException.invalid("A gate condition needs a metric, for example rmse, roc_auc or " + LATENCY_P95);
        }
        metric = metric.strip();
        if (direction == MetricDirection.UNKNOWN) {
            direction = null;
        }
        if (direction == null) {
            direction = directionOf(metric);
        }
        if (direction == MetricDirection.UNKNOWN) {
            throw FlywheelException.invalid("The gate cannot tell whether a higher or a lower '" + metric + "' is better; state it with "
                    + "direction HIGHER_IS_BETTER or LOWER_IS_BETTER in the condition");
        }
        finite("threshold", threshold);
        finite("minAbsoluteChange", minAbsoluteChange);
        finite("minRelativeChange", minRelativeChange);
    }

    /** A condition with the direction read from the metric's name. */
    public static Condition of(String metric) {
        return new Condition(metric, null, null, null, null);
    }

    public Condition withThreshold(double bound) {
        return new Condition(metric, direction, bound, minAbsoluteChange, minRelativeChange);
    }

    public Condition withMinAbsoluteChange(double change) {
        return new Condition(metric, direction, threshold, change, minRelativeChange);
    }

    public Condition withMinRelativeChange(double fraction) {
        return new Condition(metric, direction, threshold, minAbsoluteChange, fraction);
    }

    private static MetricDirection directionOf(String metric) {
        return Metric.named(metric).map(Metric::direction).orElseGet(() -> measuredMetric(metric) ? MetricDirection.LOWER_IS_BETTER
                : MetricDirection.of(metric));
    }

    /** Whether the metric is measured (latency, size) rather than computed or recorded. */
    public static boolean measuredMetric(String metric) {
        return LATENCY_P50.equals(metric) || LATENCY_P95.equals(metric) || MODEL_SIZE.equals(metric);
    }

    private void finite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw FlywheelException.invalid("Gate condition on '" + metric + "': " + field + " must be a finite number, got " + value);
        }
    }
}
