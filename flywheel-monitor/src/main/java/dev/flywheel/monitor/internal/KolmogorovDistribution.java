package dev.flywheel.monitor.internal;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

import java.util.function.DoubleUnaryOperator;

/**
 * The survival function of the two-sided one-sample Kolmogorov-Smirnov statistic, P(D_n >= d), as SciPy's
 * {@code kstwo.sf(d, n)}: Simard and L'Ecuyer's combination of exact and asymptotic methods.
 *
 * <p>Apache Commons Statistics implements it, but exposes it only through its one-sample test, which returns
 * {@code sf(D, n)} for the statistic D of the sample it is given. So this class hands the test a sample whose
 * statistic is {@code d}: the points 0..n-1 against the CDF {@code F(x) = max(0, (x + 1)/n - d)}. The largest
 * gap above the CDF is then d at every point (computed as {@code (i+1)/n - ((i+1)/n - d)}, within one rounding of
 * d), the largest gap below is {@code 1/n - d}, smaller than d whenever {@code d > 1/(2n)}; for smaller d,
 * P(D_n >= d) is 1 because D_n >= 1/(2n) always. Using the library's code keeps one tested implementation of a
 * delicate algorithm rather than a copy of it.
 */
final class KolmogorovDistribution {
    private static final KolmogorovSmirnovTest ONE_SAMPLE = KolmogorovSmirnovTest.withDefaults();

    private KolmogorovDistribution() {
    }

    /** P(D_n >= d) for integral {@code n >= 1} (given as a double, as SciPy rounds it). */
    static double sf(double d, double n) {
        if (!(n >= 1) || n != Math.rint(n) || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n must be an integer >= 1, got " + n);
        }
        if (!(d > 0)) {
            return 1;
        }
        if (d >= 1) {
            return 0;
        }
        if (n * d <= 0.5) {
            return 1;
        }
        int size = (int) n;
        if (size == 1) {
            // D_1 = max(U, 1 - U) for one uniform U: P(D_1 >= d) = 2(1 - d) for d in [1/2, 1].
            return Math.min(1, 2 * (1 - d));
        }
        double[] points = new double[size];
        for (int i = 0; i < size; i++) {
            points[i] = i;
        }
        DoubleUnaryOperator cdf = x -> Math.max(0, (x + 1) / size - d);
        return ONE_SAMPLE.test(points, cdf).getPValue();
    }
}
