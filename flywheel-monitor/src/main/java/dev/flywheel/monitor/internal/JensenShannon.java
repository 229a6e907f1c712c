package dev.flywheel.monitor.internal;

/**
 * SciPy's {@code jensenshannon(p, q)} with the natural logarithm: both share vectors normalised to sum 1,
 * m = (p + q) / 2, distance = sqrt((KL(p || m) + KL(q || m)) / 2), where an empty bin adds nothing.
 */
public final class JensenShannon {
    private JensenShannon() {
    }

    public static double distance(Shares shares) {
        double[] p = normalised(shares.reference());
        double[] q = normalised(shares.current());
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            left += relativeEntropy(p[i], m);
            right += relativeEntropy(q[i], m);
        }
        // Each sum is >= 0 in exact arithmetic; rounding can leave -1e-17 where SciPy would return NaN.
        return Math.sqrt(Math.max(0, (left + right) / 2.0));
    }

    private static double relativeEntropy(double x, double y) {
        return x > 0 ? x * Math.log(x / y) : 0;
    }

    private static double[] normalised(double[] shares) {
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        double[] out = new double[shares.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shares[i] / sum;
        }
        return out;
    }
}
