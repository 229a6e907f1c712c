package dev.flywheel.sdk.data;

import java.util.Arrays;
import java.util.Objects;

/** A column of {@code double} values; {@code NaN} marks a missing value. */
public final class DoubleColumn implements Column {
    private final double[] values;

    /** Copies {@code values}. */
    public DoubleColumn(double[] values) {
        this.values = Objects.requireNonNull(values, "values").clone();
    }

    private DoubleColumn(double[] owned, boolean unused) {
        this.values = owned;
    }

    /** Wraps an array nobody else holds; for code in this package that just built it. */
    static DoubleColumn owning(double[] owned) {
        return new DoubleColumn(owned, true);
    }

    /** The array itself, never handed out: callers in this package only read it. */
    double[] raw() {
        return values;
    }

    public double get(int row) {
        return values[row];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public String typeName() {
        return "double";
    }

    @Override
    public boolean isMissing(int row) {
        return Double.isNaN(values[row]);
    }

    @Override
    public Object getObject(int row) {
        double v = values[row];
        return Double.isNaN(v) ? null : v;
    }

    @Override
    public DoubleColumn take(int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return owning(out);
    }

    @Override
    public DoubleColumn slice(int from, int to) {
        Objects.checkFromToIndex(from, to, values.length);
        return owning(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleColumn other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "DoubleColumn[size=" + values.length + "]";
    }
}
