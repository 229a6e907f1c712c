package dev.flywheel.monitor.internal;

/**
 * The first Wasserstein distance between two samples, the area between their empirical CDFs, as SciPy's
 * {@code wasserstein_distance(u, v)}: the sum over consecutive distinct values x &lt; x' of both samples of
 * |F_u(x) - F_v(x)| (x' - x), with F counting values &lt;= x.
 */
public final class Wasserstein {
    private Wasserstein() {
    }

    /** The distance between sorted, finite, non-empty samples. */
    public static double distance(double[] u, double[] v) {
        int n = u.length;
        int m = v.length;
        int i = 0;
        int j = 0;
        double x = Math.min(u[0], v[0]);
        double sum = 0;
        while (true) {
            while (i < n && u[i] <= x) {
                i++;
            }
            while (j < m && v[j] <= x) {
                j++;
            }
            if (i == n && j == m) {
                return sum;
            }
            double next = i == n ? v[j] : j == m ? u[i] : Math.min(u[i], v[j]);
            sum += Math.abs((double) i / n - (double) j / m) * (next - x);
            x = next;
        }
    }

    /** Evidently's normed score: the distance divided by the reference's population standard deviation, at least 0.001. */
    public static double normed(double[] reference, double[] current, double referenceStd) {
        return distance(reference, current) / Math.max(referenceStd, 0.001);
    }
}
