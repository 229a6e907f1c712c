package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.NumericProfile;

/**
 * A numeric column for the drift methods.
 *
 * @param name         column name
 * @param type         {@code double} or {@code long}
 * @param rows         rows in the source data
 * @param count        present values in the source data
 * @param sorted       the values the tests read, ascending: all of them, or a profile's sample
 * @param distinct     distinct present values in the source data
 * @param std          population standard deviation of the present values (NaN without values)
 * @param exactValues  ascending distinct values with {@code exactCounts}, when known exactly and {@code sorted} is
 *                     only a sample; else null
 * @param exactCounts  their counts
 */
public record NumericData(String name, String type, long rows, long count, double[] sorted, long distinct,
                          double std, double[] exactValues, long[] exactCounts) implements ColumnData {

    /** The column's values ({@code values} is overwritten: pass a copy). */
    public static NumericData of(String name, String type, double[] values) {
        int rows = values.length;
        double[] sorted = SortedValues.finiteSorted(values);
        return new NumericData(name, type, rows, sorted.length, sorted, distinct(sorted), std(sorted), null, null);
    }

    static NumericData of(NumericProfile p) {
        double[] sample = SortedValues.finiteSorted(p.sample());
        double[] values = null;
        long[] counts = null;
        if (p.values() != null && sample.length < p.count()) {
            values = p.values().stream().mapToDouble(NumericProfile.ValueCount::value).toArray();
            counts = p.values().stream().mapToLong(NumericProfile.ValueCount::count).toArray();
        }
        return new NumericData(p.name(), p.type(), p.count() + p.missing(), p.count(), sample, p.distinct(),
                p.std() == null ? Double.NaN : p.std(), values, counts);
    }

    /** Whether {@link #sorted()} holds every present value (not a sample). */
    public boolean complete() {
        return sorted.length == count;
    }

    /** The reference's and {@code current}'s counts per value: exact when this column knows them. */
    public Counts countsAgainst(NumericData current) {
        return exactValues != null ? Counts.of(exactValues, exactCounts, current.sorted)
                : Counts.of(sorted, current.sorted);
    }

    static long distinct(double[] sorted) {
        long d = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    /** NumPy's {@code std} (ddof 0), two passes: mean first, then the mean squared deviation. */
    static double std(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / values.length);
    }
}
