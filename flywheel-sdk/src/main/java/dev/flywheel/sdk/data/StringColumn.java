package dev.flywheel.sdk.data;

import java.util.Arrays;
import java.util.Objects;

/** A column of strings; {@code null} marks a missing value. */
public final class StringColumn implements Column {
    private final String[] values;

    /** Copies {@code values}. */
    public StringColumn(String[] values) {
        this.values = Objects.requireNonNull(values, "values").clone();
    }

    private StringColumn(String[] owned, boolean unused) {
        this.values = owned;
    }

    static StringColumn owning(String[] owned) {
        return new StringColumn(owned, true);
    }

    String[] raw() {
        return values;
    }

    public String get(int row) {
        return values[row];
    }

    /** A copy of the values. */
    public String[] toArray() {
        return values.clone();
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public boolean isMissing(int row) {
        return values[row] == null;
    }

    @Override
    public Object getObject(int row) {
        return values[row];
    }

    @Override
    public StringColumn take(int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return owning(out);
    }

    @Override
    public StringColumn slice(int from, int to) {
        Objects.checkFromToIndex(from, to, values.length);
        return owning(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringColumn other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "StringColumn[size=" + values.length + "]";
    }
}
