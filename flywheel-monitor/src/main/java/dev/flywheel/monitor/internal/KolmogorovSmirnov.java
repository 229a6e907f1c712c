package dev.flywheel.monitor.internal;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The two-sample Kolmogorov-Smirnov test as SciPy's {@code ks_2samp(a, b)} computes it (two-sided, method
 * 'auto'): the statistic is the largest gap between the two empirical CDFs, evaluated after each run of tied
 * values; the p-value is exact when neither sample has more than 10,000 values, else Smirnov's asymptotic
 * {@code kstwo.sf(d, round(n*m/(n+m)))} with NumPy's round-half-to-even.
 *
 * <p>Exact p-values come from Apache Commons Statistics (Hodges' and Viehmann's lattice-path methods, the same
 * algorithms SciPy uses); the asymptotic tail from {@link KolmogorovDistribution}.
 */
public final class KolmogorovSmirnov {
    /** SciPy's MAX_AUTO_N: 'auto' is exact when max(n, m) is at most this. */
    static final int MAX_EXACT = 10_000;
    private static final KolmogorovSmirnovTest EXACT = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.EXACT);

    private KolmogorovSmirnov() {
    }

    public record Result(double statistic, double pValue) {
    }

    /** Tests sorted, finite, non-empty samples {@code a} and {@code b}. */
    public static Result test(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        long dnm = integralStatistic(a, b);
        long g = gcd(n, m);
        long lcm = (n / g) * (long) m;
        double d = (double) (dnm / g) / lcm;
        double p;
        if (Math.max(n, m) <= MAX_EXACT) {
            p = n == 1 || m == 1 ? exactWithSingleValue(dnm, Math.max(n, m)) : EXACT.test(a, b).getPValue();
        } else {
            p = KolmogorovDistribution.sf(d, Math.rint((double) n * m / ((double) n + m)));
        }
        return new Result(d, Math.min(1, Math.max(0, p)));
    }

    /**
     * max |F_a - F_b| scaled by n*m (so it is an integer): a step of a adds m, a step of b subtracts n, and a run
     * of values tied between the samples is crossed as one step.
     */
    static long integralStatistic(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        int i = 0;
        int j = 0;
        long d = 0;
        long plus = 0;
        long minus = 0;
        while (i < n && j < m) {
            double x = a[i];
            double y = b[j];
            if (x <= y) {
                do {
                    i++;
                    d += m;
                } while (i < n && a[i] == x);
            }
            if (y <= x) {
                do {
                    j++;
                    d -= n;
                } while (j < m && b[j] == y);
            }
            if (d > plus) {
                plus = d;
            } else if (d < minus) {
                minus = d;
            }
        }
        return Math.max(plus, -minus);
    }

    /**
     * P(D >= d) when one sample has a single value: its rank among the other's k values is uniform on 0..k, and
     * rank r gives D = max(r, k - r) / k (the lattice-path methods need two values on each side).
     */
    private static double exactWithSingleValue(long dnm, int k) {
        int count = 0;
        for (int r = 0; r <= k; r++) {
            if (Math.max(r, k - r) >= dnm) {
                count++;
            }
        }
        return (double) count / (k + 1);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
