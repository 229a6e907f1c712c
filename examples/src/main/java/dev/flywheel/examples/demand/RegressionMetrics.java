package dev.flywheel.examples.demand;

/** Root mean squared error and mean absolute error of predictions against actual values. */
public record RegressionMetrics(double rmse, double mae, int rows) {

    public static RegressionMetrics of(float[] predicted, double[] actual) {
        if (predicted.length != actual.length || actual.length == 0) {
            throw new IllegalArgumentException("need as many predictions as actual values (and at least one), got "
                    + predicted.length + " and " + actual.length);
        }
        double se = 0;
        double ae = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            se += d * d;
            ae += Math.abs(d);
        }
        return new RegressionMetrics(Math.sqrt(se / actual.length), ae / actual.length, actual.length);
    }
}
