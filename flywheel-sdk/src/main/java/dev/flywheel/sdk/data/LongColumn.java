package dev.flywheel.sdk.data;

import java.util.Arrays;
import java.util.Objects;

/** A column of {@code long} values; it has no missing values (a CSV column with gaps is read as double). */
public final class LongColumn implements Column {
    private final long[] values;

    /** Copies {@code values}. */
    public LongColumn(long[] values) {
        this.values = Objects.requireNonNull(values, "values").clone();
    }

    private LongColumn(long[] owned, boolean unused) {
        this.values = owned;
    }

    static LongColumn owning(long[] owned) {
        return new LongColumn(owned, true);
    }

    long[] raw() {
        return values;
    }

    public long get(int row) {
        return values[row];
    }

    /** A copy of the values. */
    public long[] toArray() {
        return values.clone();
    }

    /** The values widened to {@code double}. */
    public double[] toDoubles() {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public String typeName() {
        return "long";
    }

    @Override
    public boolean isMissing(int row) {
        Objects.checkIndex(row, values.length);
        return false;
    }

    @Override
    public Object getObject(int row) {
        return values[row];
    }

    @Override
    public LongColumn take(int[] rows) {
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return owning(out);
    }

    @Override
    public LongColumn slice(int from, int to) {
        Objects.checkFromToIndex(from, to, values.length);
        return owning(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongColumn other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "LongColumn[size=" + values.length + "]";
    }
}
