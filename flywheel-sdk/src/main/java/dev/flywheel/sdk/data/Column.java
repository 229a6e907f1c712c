package dev.flywheel.sdk.data;

/**
 * One column of a {@link Table}: a fixed number of values of one type. Columns are immutable and own their
 * values: constructors copy the array they are given and accessors that return arrays return copies, so a
 * column can be shared freely between threads and tables.
 *
 * <p>Missing values are {@code NaN} in a {@link DoubleColumn} and {@code null} in a {@link StringColumn};
 * a {@link LongColumn} has no missing values.
 */
public sealed interface Column permits DoubleColumn, LongColumn, StringColumn {

    /** The number of values. */
    int size();

    /** {@code double}, {@code long} or {@code string}: the name used in schemas and error messages. */
    String typeName();

    /** Whether the value at {@code row} is missing ({@code NaN} or {@code null}). */
    boolean isMissing(int row);

    /** The value at {@code row} boxed ({@code Double}, {@code Long} or {@code String}, {@code null} if missing). */
    Object getObject(int row);

    /** A new column with the values at the given rows, in that order (rows may repeat). */
    Column take(int[] rows);

    /** A new column with the values of rows {@code from} (inclusive) to {@code to} (exclusive). */
    Column slice(int from, int to);

    static DoubleColumn of(double... values) {
        return new DoubleColumn(values);
    }

    static LongColumn of(long... values) {
        return new LongColumn(values);
    }

    static StringColumn of(String... values) {
        return new StringColumn(values);
    }
}
