package dev.flywheel.monitor.internal;

import java.util.Arrays;

/**
 * Turns a column's values into what every numeric drift method reads: the finite values, ascending, with
 * {@code -0.0} as {@code 0.0}. NaN and infinities are missing values (Evidently drops them the same way).
 *
 * <p>Sorting the current data is most of a comparison's work. {@link Arrays#sort(double[])} is the right tool:
 * on JDK 22+ with AVX-512 it is vectorised, and an LSD radix sort tried here was no faster on a million doubles.
 */
public final class SortedValues {
    private SortedValues() {
    }

    /** The finite values of {@code values}, sorted; {@code values} may be overwritten (pass a copy you own). */
    public static double[] finiteSorted(double[] values) {
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                values[n++] = v + 0.0; // -0.0 + 0.0 == +0.0: one zero, as NumPy's comparisons see it
            }
        }
        double[] out = n == values.length ? values : Arrays.copyOf(values, n);
        Arrays.sort(out);
        return out;
    }
}
