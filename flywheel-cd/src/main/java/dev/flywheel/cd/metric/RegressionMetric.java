package dev.flywheel.cd.metric;

import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.model.MetricDirection;

/** Regression metrics on the model's first output, as scikit-learn defines them. */
public enum RegressionMetric implements Metric {
    RMSE("rmse", MetricDirection.LOWER_IS_BETTER),
    MAE("mae", MetricDirection.LOWER_IS_BETTER),
    /** Mean absolute percentage error as a fraction (0.1 = 10%); a label of 0 divides by machine epsilon, as sklearn does. */
    MAPE("mape", MetricDirection.LOWER_IS_BETTER),
    /** Coefficient of determination; constant labels give 1 for a perfect fit, else 0 (sklearn's force_finite). */
    R2("r2", MetricDirection.HIGHER_IS_BETTER);

    private static final double EPSILON = Math.ulp(1.0);
    private final String metricName;
    private final MetricDirection direction;

    RegressionMetric(String metricName, MetricDirection direction) {
        this.metricName = metricName;
        this.direction = direction;
    }

    @Override
    public String metricName() {
        return metricName;
    }

    @Override
    public MetricDirection direction() {
        return direction;
    }

    @Override
    public double compute(double[] y, Predictions p, double decisionThreshold) {
        Labels.requireRows(y, p);
        int n = y.length;
        double sum = 0;
        switch (this) {
            case RMSE -> {
                for (int i = 0; i < n; i++) {
                    double d = p.get(i, 0) - y[i];
                    sum += d * d;
                }
                return Math.sqrt(sum / n);
            }
            case MAE -> {
                for (int i = 0; i < n; i++) {
                    sum += Math.abs(p.get(i, 0) - y[i]);
                }
                return sum / n;
            }
            case MAPE -> {
                for (int i = 0; i < n; i++) {
                    sum += Math.abs(p.get(i, 0) - y[i]) / Math.max(Math.abs(y[i]), EPSILON);
                }
                return sum / n;
            }
            case R2 -> {
                double mean = 0;
                for (double v : y) {
                    mean += v;
                }
                mean /= n;
                double residual = 0;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    double d = y[i] - p.get(i, 0);
                    residual += d * d;
                    double t = y[i] - mean;
                    total += t * t;
                }
                if (total == 0) {
                    return residual == 0 ? 1.0 : 0.0;
                }
                return 1 - residual / total;
            }
        }
        throw new AssertionError(this);
    }
}
