package dev.flywheel.sdk.data;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;

/**
 * An immutable, columnar table of ML features: named columns of equal length, each a {@link DoubleColumn},
 * {@link LongColumn} or {@link StringColumn}. Every operation returns a new table and leaves this one as it was,
 * so a table can be shared between steps and threads without copying.
 *
 * <pre>{@code
 * Table hours = Table.readCsv(Path.of("hour.csv"));
 * Table.Split split = hours.where("cnt", c -> c > 0).randomSplit(0.2, 42);
 * float[] x = split.train().toRowMajorFloats(List.of("temp", "hum", "hr"));
 * double[] y = split.train().doubles("cnt");
 * }</pre>
 *
 * <p>Errors about names or shapes are {@link FlywheelException}s with code {@code INVALID_ARGUMENT} whose message
 * lists the table's columns.
 */
public final class Table {
    private static final int PREVIEW_ROWS = 5;

    private final List<String> names;
    private final Column[] columns;
    private final Map<String, Integer> index;
    private final int rows;

    private Table(List<String> names, Column[] columns) {
        this.names = List.copyOf(names);
        this.columns = columns;
        this.index = new HashMap<>(names.size() * 2);
        int r = -1;
        for (int i = 0; i < columns.length; i++) {
            String name = Objects.requireNonNull(this.names.get(i), "column name");
            Column column = Objects.requireNonNull(columns[i], "column '" + name + "'");
            if (name.isEmpty()) {
                throw FlywheelException.invalid("column " + (i + 1) + " has an empty name; give every column a name");
            }
            if (index.put(name, i) != null) {
                throw FlywheelException.invalid("column name '" + name + "' is used twice; column names must be unique");
            }
            if (r >= 0 && column.size() != r) {
                throw FlywheelException.invalid("column '" + name + "' has " + column.size() + " values but column '"
                        + this.names.get(0) + "' has " + r + "; all columns of a table must have the same length");
            }
            r = column.size();
        }
        this.rows = Math.max(r, 0);
    }

    /** A table of the given columns, in order; {@code names} and {@code columns} must have the same size. */
    public static Table of(List<String> names, List<? extends Column> columns) {
        if (names.size() != columns.size()) {
            throw FlywheelException.invalid("got " + names.size() + " column names for " + columns.size() + " columns");
        }
        return new Table(names, columns.toArray(Column[]::new));
    }

    /** A table of the map's columns in its iteration order (use a {@link LinkedHashMap} to fix the order). */
    public static Table of(Map<String, ? extends Column> columns) {
        return of(new ArrayList<>(columns.keySet()), new ArrayList<>(columns.values()));
    }

    /** A table with no columns and no rows. */
    public static Table empty() {
        return new Table(List.of(), new Column[0]);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a CSV file with a header row. Each column's type is inferred from all its cells: {@code long} if every
     * cell is an integer, {@code double} if every cell is a number (including {@code NaN} and {@code Infinity}),
     * else {@code string}. An empty cell is missing: {@code NaN} in a numeric column (so an integer column with
     * gaps becomes double), {@code null} in a string column; a column with no values at all is double. Quoted
     * fields may hold commas, line breaks and {@code ""} for a quote; blank lines are skipped.
     *
     * @throws FlywheelException {@code NOT_FOUND} if the file does not exist; {@code INVALID_ARGUMENT} naming the
     *                           file and line if it is empty, a row has the wrong number of fields, a quote is not
     *                           closed, or the header has an empty or repeated name
     */
    public static Table readCsv(Path file) {
        return CsvReader.read(file);
    }

    /**
     * Writes the table as CSV with a header row; missing values are empty cells and doubles keep a decimal point,
     * so {@link #readCsv} reads back the same types (an empty string reads back as {@code null}). The file is
     * replaced atomically: readers see the old or the new content, never a part.
     */
    public void writeCsv(Path file) {
        CsvWriter.write(this, file);
    }

    public List<String> columnNames() {
        return names;
    }

    public int columnCount() {
        return columns.length;
    }

    public int rowCount() {
        return rows;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /** The column named {@code name}; an unknown name is an error that lists the columns. */
    public Column column(String name) {
        return columns[indexOf(name)];
    }

    /** The values of a numeric column as {@code double}s (a long column is widened); a copy. */
    public double[] doubles(String name) {
        return switch (column(name)) {
            case DoubleColumn d -> d.toArray();
            case LongColumn l -> l.toDoubles();
            case StringColumn s -> throw wrongType(name, s, "a numeric", "strings(\"" + name + "\")");
        };
    }

    /** The values of a long column; a copy. */
    public long[] longs(String name) {
        return switch (column(name)) {
            case LongColumn l -> l.toArray();
            case DoubleColumn d -> throw wrongType(name, d, "a long", "doubles(\"" + name + "\")");
            case StringColumn s -> throw wrongType(name, s, "a long", "strings(\"" + name + "\")");
        };
    }

    /** The values of a string column ({@code null} for missing); a copy. */
    public String[] strings(String name) {
        return switch (column(name)) {
            case StringColumn s -> s.toArray();
            case DoubleColumn d -> throw wrongType(name, d, "a string", "doubles(\"" + name + "\")");
            case LongColumn l -> throw wrongType(name, l, "a string", "longs(\"" + name + "\")");
        };
    }

    /** A table with only the named columns, in the order given. */
    public Table select(String... columnNames) {
        return select(List.of(columnNames));
    }

    public Table select(List<String> columnNames) {
        Column[] out = new Column[columnNames.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = column(columnNames.get(i));
        }
        return new Table(columnNames, out);
    }

    /** A table without the named columns; every name must exist. */
    public Table drop(String... columnNames) {
        LinkedHashSet<String> dropped = new LinkedHashSet<>(List.of(columnNames));
        dropped.forEach(this::indexOf);
        return select(names.stream().filter(n -> !dropped.contains(n)).toList());
    }

    /** A table with {@code column} added at the end, or replacing the column of the same name in place. */
    public Table withColumn(String name, Column column) {
        if (columns.length > 0 && column.size() != rows) {
            throw FlywheelException.invalid("new column '" + name + "' has " + column.size() + " values but the table has "
                    + rows + " rows");
        }
        List<String> outNames = new ArrayList<>(names);
        List<Column> out = new ArrayList<>(Arrays.asList(columns));
        Integer at = index.get(name);
        if (at != null) {
            out.set(at, column);
        } else {
            outNames.add(name);
            out.add(column);
        }
        return of(outNames, out);
    }

    /** The first {@code n} rows (all of them if the table is shorter). */
    public Table head(int n) {
        if (n < 0) {
            throw FlywheelException.invalid("head(" + n + "): the row count must not be negative");
        }
        return slice(0, Math.min(n, rows));
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Table slice(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw FlywheelException.invalid("slice(" + from + ", " + to + ") is out of range for a table of " + rows
                    + " rows; use 0 <= from <= to <= " + rows);
        }
        Column[] out = new Column[columns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = columns[i].slice(from, to);
        }
        return new Table(names, out);
    }

    /**
     * The rows for which {@code predicate} holds, in order. The {@link Row} passed is a cursor that moves on after
     * each call: read values from it inside the predicate, do not keep it.
     */
    public Table filter(Predicate<? super Row> predicate) {
        Row row = new Row();
        int[] keep = new int[rows];
        int kept = 0;
        for (int r = 0; r < rows; r++) {
            row.at = r;
            if (predicate.test(row)) {
                keep[kept++] = r;
            }
        }
        return take(Arrays.copyOf(keep, kept));
    }

    /** The rows whose value in numeric column {@code column} passes {@code predicate} (missing values are NaN). */
    public Table where(String column, DoublePredicate predicate) {
        int[] keep = new int[rows];
        int kept = 0;
        switch (column(column)) {
            case DoubleColumn d -> {
                double[] v = d.raw();
                for (int r = 0; r < rows; r++) {
                    if (predicate.test(v[r])) {
                        keep[kept++] = r;
                    }
                }
            }
            case LongColumn l -> {
                long[] v = l.raw();
                for (int r = 0; r < rows; r++) {
                    if (predicate.test(v[r])) {
                        keep[kept++] = r;
                    }
                }
            }
            case StringColumn s -> throw wrongType(column, s, "a numeric", "filter(row -> ...)");
        }
        return take(Arrays.copyOf(keep, kept));
    }

    /** The given rows, in the given order (rows may repeat). */
    public Table take(int[] rowIndexes) {
        for (int r : rowIndexes) {
            if (r < 0 || r >= rows) {
                throw FlywheelException.invalid("row " + r + " is out of range for a table of " + rows + " rows");
            }
        }
        Column[] out = new Column[columns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = columns[i].take(rowIndexes);
        }
        return new Table(names, out);
    }

    /**
     * Splits the rows at random into train and test; the same seed always gives the same split. The test part has
     * {@code round(rowCount * testFraction)} rows; both parts keep the original row order.
     */
    public Split randomSplit(double testFraction, long seed) {
        int testRows = testRows(testFraction);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] test = Arrays.copyOfRange(order, 0, testRows);
        int[] train = Arrays.copyOfRange(order, testRows, rows);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Split(take(train), take(test));
    }

    /** The last {@code round(rowCount * testFraction)} rows are the test part: right for time-ordered data. */
    public Split orderedSplit(double testFraction) {
        int testRows = testRows(testFraction);
        return new Split(slice(0, rows - testRows), slice(rows - testRows, rows));
    }

    private int testRows(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw FlywheelException.invalid("test fraction " + testFraction + " is out of range; use a value between 0"
                    + " and 1, for example 0.2 to hold out 20% of the rows");
        }
        return (int) Math.round(rows * testFraction);
    }

    /**
     * This table's rows followed by {@code other}'s. Both need the same column names in the same order and the same
     * types, except that long and double concatenate to double (batches of a CSV column can infer either), and a
     * table without rows takes the other's types.
     */
    public Table concat(Table other) {
        if (!names.equals(other.names)) {
            throw FlywheelException.invalid("cannot concat tables with different columns: this table has " + names
                    + ", the other has " + other.names + "; select the same columns in the same order first");
        }
        if (other.rows == 0 && other.columns.length > 0) {
            return this;
        }
        if (rows == 0 && columns.length > 0) {
            return other;
        }
        Column[] out = new Column[columns.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = concat(names.get(i), columns[i], other.columns[i]);
        }
        return new Table(names, out);
    }

    private static Column concat(String name, Column a, Column b) {
        if (a instanceof LongColumn x && b instanceof LongColumn y) {
            long[] out = Arrays.copyOf(x.raw(), x.size() + y.size());
            System.arraycopy(y.raw(), 0, out, x.size(), y.size());
            return LongColumn.owning(out);
        }
        if (a instanceof StringColumn x && b instanceof StringColumn y) {
            String[] out = Arrays.copyOf(x.raw(), x.size() + y.size());
            System.arraycopy(y.raw(), 0, out, x.size(), y.size());
            return StringColumn.owning(out);
        }
        if (a instanceof StringColumn || b instanceof StringColumn) {
            throw FlywheelException.invalid("cannot concat column '" + name + "': it is " + a.typeName()
                    + " in this table and " + b.typeName() + " in the other; convert one of them first");
        }
        double[] x = numeric(a);
        double[] y = numeric(b);
        double[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return DoubleColumn.owning(out);
    }

    private static double[] numeric(Column c) {
        return c instanceof DoubleColumn d ? d.raw() : ((LongColumn) c).toDoubles();
    }

    /**
     * The named numeric columns as one row-major {@code float[]} of {@code rowCount * columns.size()} values, in
     * the order given: the input layout tabular models expect. Missing values are {@code NaN}.
     */
    public float[] toRowMajorFloats(List<String> columnNames) {
        int width = columnNames.size();
        float[] out = new float[rows * width];
        for (int c = 0; c < width; c++) {
            String name = columnNames.get(c);
            switch (column(name)) {
                case DoubleColumn d -> {
                    double[] v = d.raw();
                    for (int r = 0, o = c; r < rows; r++, o += width) {
                        out[o] = (float) v[r];
                    }
                }
                case LongColumn l -> {
                    long[] v = l.raw();
                    for (int r = 0, o = c; r < rows; r++, o += width) {
                        out[o] = v[r];
                    }
                }
                case StringColumn s -> throw wrongType(name, s, "a numeric",
                        "drop it from the feature list or encode it as numbers first");
            }
        }
        return out;
    }

    private int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw FlywheelException.invalid("no column '" + name + "' in this table; its columns are " + names);
        }
        return i;
    }

    private FlywheelException wrongType(String name, Column c, String wanted, String instead) {
        return new FlywheelException(ErrorCode.INVALID_ARGUMENT, "column '" + name + "' is " + c.typeName()
                + ", not " + wanted + " column; use " + instead);
    }

    /** Value equality: the same names, in the same order, with equal columns (NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Table other && names.equals(other.names) && Arrays.equals(columns, other.columns);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(columns);
    }

    /** A short preview: the shape, the schema and the first rows. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("Table[").append(rows).append(" rows x ").append(columns.length).append(" columns]\n");
        for (int c = 0; c < columns.length; c++) {
            sb.append(c == 0 ? "" : ", ").append(names.get(c)).append(':').append(columns[c].typeName());
        }
        int shown = Math.min(rows, PREVIEW_ROWS);
        for (int r = 0; r < shown; r++) {
            sb.append('\n');
            for (int c = 0; c < columns.length; c++) {
                Object v = columns[c].getObject(r);
                sb.append(c == 0 ? "" : ", ").append(v == null ? "" : v);
            }
        }
        if (rows > shown) {
            sb.append("\n... ").append(rows - shown).append(" more rows");
        }
        return sb.toString();
    }

    /** A train/test split of one table. */
    public record Split(Table train, Table test) {
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
        }
    }

    /** A cursor over one row, handed to {@link #filter} predicates. Valid only during the call. */
    public final class Row {
        private int at;

        private Row() {
        }

        /** The row's index in the table being filtered. */
        public int index() {
            return at;
        }

        /** The value of a numeric column (long widened); NaN if missing. */
        public double getDouble(String column) {
            return switch (column(column)) {
                case DoubleColumn d -> d.raw()[at];
                case LongColumn l -> l.raw()[at];
                case StringColumn s -> throw wrongType(column, s, "a numeric", "getString(\"" + column + "\")");
            };
        }

        public long getLong(String column) {
            if (column(column) instanceof LongColumn l) {
                return l.raw()[at];
            }
            throw wrongType(column, column(column), "a long", "getDouble or getString");
        }

        /** The value of a string column; null if missing. */
        public String getString(String column) {
            if (column(column) instanceof StringColumn s) {
                return s.raw()[at];
            }
            throw wrongType(column, column(column), "a string", "getDouble(\"" + column + "\")");
        }
    }

    /** Builds a table column by column, in the order added. */
    public static final class Builder {
        private final Map<String, Column> columns = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder doubles(String name, double... values) {
            return column(name, new DoubleColumn(values));
        }

        public Builder longs(String name, long... values) {
            return column(name, new LongColumn(values));
        }

        public Builder strings(String name, String... values) {
            return column(name, new StringColumn(values));
        }

        public Builder column(String name, Column column) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(column, "column");
            if (columns.putIfAbsent(name, column) != null) {
                throw FlywheelException.invalid("column '" + name + "' was added twice; column names must be unique");
            }
            return this;
        }

        /** The table; fails if the columns differ in length. */
        public Table build() {
            return of(columns);
        }
    }
}
