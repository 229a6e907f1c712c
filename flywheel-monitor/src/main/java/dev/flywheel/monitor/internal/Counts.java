package dev.flywheel.monitor.internal;

import java.util.Arrays;

/**
 * The reference's and the current data's counts per value, aligned over the union of their values in ascending
 * order (numbers numerically, strings by {@link String#compareTo}): what chi-squared, the Z-test and the
 * per-value bins of Jensen-Shannon and PSI read.
 *
 * @param reference the reference's count of each value
 * @param current   the current data's count of each value
 */
public record Counts(long[] reference, long[] current) {

    public int size() {
        return reference.length;
    }

    /** Counts of two sorted samples: one entry per distinct value of either. */
    public static Counts of(double[] reference, double[] current) {
        int distinct = 0;
        for (int i = 0; i < reference.length; i++) {
            distinct += i == 0 || reference[i] != reference[i - 1] ? 1 : 0;
        }
        double[] values = new double[distinct];
        long[] counts = new long[distinct];
        for (int i = 0, k = -1; i < reference.length; i++) {
            if (i == 0 || reference[i] != reference[i - 1]) {
                values[++k] = reference[i];
            }
            counts[k]++;
        }
        return of(values, counts, current);
    }

    /** Counts of a reference given as ascending distinct values with their counts, and a sorted current sample. */
    public static Counts of(double[] referenceValues, long[] referenceCounts, double[] current) {
        Builder out = new Builder();
        int i = 0;
        int j = 0;
        while (i < referenceValues.length || j < current.length) {
            double x = i == referenceValues.length ? current[j] : j == current.length ? referenceValues[i]
                    : Math.min(referenceValues[i], current[j]);
            long r = i < referenceValues.length && referenceValues[i] == x ? referenceCounts[i++] : 0;
            int j0 = j;
            while (j < current.length && current[j] == x) {
                j++;
            }
            out.add(r, j - j0);
        }
        return out.build();
    }

    /** Counts of two samples already counted per label (labels ascending); a label absent on one side counts 0. */
    public static Counts of(String[] referenceLabels, long[] referenceCounts, String[] currentLabels,
                            long[] currentCounts) {
        Builder out = new Builder();
        int i = 0;
        int j = 0;
        while (i < referenceLabels.length || j < currentLabels.length) {
            int cmp = i == referenceLabels.length ? 1 : j == currentLabels.length ? -1
                    : referenceLabels[i].compareTo(currentLabels[j]);
            out.add(cmp <= 0 ? referenceCounts[i++] : 0, cmp >= 0 ? currentCounts[j++] : 0);
        }
        return out.build();
    }

    private static final class Builder {
        private long[] r = new long[16];
        private long[] c = new long[16];
        private int size;

        void add(long reference, long current) {
            if (size == r.length) {
                r = Arrays.copyOf(r, size * 2);
                c = Arrays.copyOf(c, size * 2);
            }
            r[size] = reference;
            c[size++] = current;
        }

        Counts build() {
            return new Counts(Arrays.copyOf(r, size), Arrays.copyOf(c, size));
        }
    }
}
