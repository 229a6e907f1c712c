package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the labels of a {@link LabelTable} over JDBC: checks the table and its columns first (so a wrong name is an
 * error naming it, with the columns that exist), then reads the rows at or after the watermark, skipping those kept
 * before with the same value. A row whose label is still NULL holds the watermark back, so it is read again until the
 * label arrives. Reads only; opens one read-only connection for the read.
 */
final class JdbcLabelReader {
    private static final int FETCH = 5_000;

    private JdbcLabelReader() {
    }

    /** A watermark: the greatest value of the watermark column read so far, with how it is compared. */
    record Watermark(Kind kind, String value) implements Comparable<Watermark> {
        enum Kind { NUMBER, TIME, TEXT }

        @Override
        public int compareTo(Watermark o) {
            return switch (kind) {
                case NUMBER -> new BigDecimal(value).compareTo(new BigDecimal(o.value));
                case TIME -> Instant.parse(value).compareTo(Instant.parse(o.value));
                case TEXT -> value.compareTo(o.value);
            };
        }

        void bind(PreparedStatement s, int index) throws SQLException {
            switch (kind) {
                case NUMBER -> {
                    BigDecimal n = new BigDecimal(value);
                    if (n.stripTrailingZeros().scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                        s.setLong(index, n.longValueExact());
                    } else {
                        s.setDouble(index, n.doubleValue());
                    }
                }
                case TIME -> s.setTimestamp(index, Timestamp.from(Instant.parse(value)));
                case TEXT -> s.setString(index, value);
            }
        }
    }

    /**
     * @param rows        labels to keep: request id, row and value, as text
     * @param read        rows the query returned
     * @param alreadyKept rows skipped as kept before with the same value
     * @param notLabelled rows skipped for a NULL label
     * @param watermark   the greatest watermark read (the given one when nothing newer was read), or null
     */
    record Read(List<String[]> rows, long read, long alreadyKept, long notLabelled, Watermark watermark) {
    }

    static Read read(LabelTable t, String password, Watermark after, Map<GroundTruth.Key, Double> kept) {
        requireDriver(t);
        Properties props = new Properties();
        if (t.user() != null) {
            props.setProperty("user", t.user());
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = connect(t, props)) {
            try {
                c.setReadOnly(true);
            } catch (SQLException e) {
                // SQLite takes the flag only when opening; the reader writes nothing either way
            }
            c.setAutoCommit(false); // PostgreSQL streams rows by the fetch size only inside a transaction
            Columns cols = columns(c, t);
            StringBuilder sql = new StringBuilder("SELECT ").append(quote(cols.id)).append(", ").append(quote(cols.label));
            if (cols.row != null) {
                sql.append(", ").append(quote(cols.row));
            }
            if (cols.watermark != null) {
                sql.append(", ").append(quote(cols.watermark));
            }
            sql.append(" FROM ").append(t.table());
            if (cols.watermark != null && after != null) {
                sql.append(" WHERE ").append(quote(cols.watermark)).append(" >= ?");
            }
            if (cols.watermark != null) {
                sql.append(" ORDER BY ").append(quote(cols.watermark));
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                s.setFetchSize(FETCH);
                if (cols.watermark != null && after != null) {
                    after.bind(s, 1);
                }
                Read r = collect(s, t, after, kept, cols.row != null, cols.watermark != null);
                c.rollback();
                return r;
            }
        } catch (SQLException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Reading labels from " + t.where() + " failed: " + e.getMessage(), e);
        }
    }

    private static Connection connect(LabelTable t, Properties props) {
        try {
            return DriverManager.getConnection(t.url(), props);
        } catch (SQLException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot connect to " + LabelTable.masked(t.url()) + ": " + e.getMessage()
                    + ". Check --jdbc-url, that the database runs and accepts connections from this machine, and --user/--password", e);
        }
    }

    private static Read collect(PreparedStatement s, LabelTable t, Watermark after, Map<GroundTruth.Key, Double> kept, boolean hasRow,
                                boolean hasWatermark) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        long read = 0;
        long same = 0;
        long unlabelled = 0;
        Watermark high = after;
        Watermark waiting = null; // the lowest watermark of a row not labelled yet: the next read starts there
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                read++;
                Object idValue = rs.getObject(1);
                String id = idValue == null ? "" : idValue.toString().strip();
                if (id.isEmpty() || id.length() > 128 || id.contains(",") || id.contains("\n")) {
                    throw FlywheelException.invalid(t.where() + ": column " + t.idColumn() + " holds " + (id.isEmpty() ? "an empty request id"
                            : "request id '" + abbreviate(id) + "'") + "; request ids are 1 to 128 characters without commas or line breaks"
                            + " (the X-Request-Id the server returned). Check --id-column");
                }
                int row = 0;
                if (hasRow) {
                    Object rowValue = rs.getObject(3);
                    row = rowNumber(rowValue, t, id);
                }
                Watermark w = null;
                if (hasWatermark) {
                    w = watermark(rs.getObject(hasRow ? 4 : 3), t, id);
                    if (w != null) {
                        if (high != null && high.kind() != w.kind()) {
                            throw FlywheelException.invalid(t.where() + ": column " + t.watermarkColumn() + " holds " + describe(w)
                                    + " at request " + abbreviate(id) + " after " + describe(high) + "; --watermark-column must name a column"
                                    + " of one kind (numbers, times or text) that grows with every new row");
                        }
                        if (high == null || w.compareTo(high) > 0) {
                            high = w;
                        }
                    }
                }
                Double label = label(rs.getObject(2), t, id);
                if (label == null) {
                    unlabelled++;
                    if (w != null && (waiting == null || w.compareTo(waiting) < 0)) {
                        waiting = w;
                    }
                    continue;
                }
                Double before = kept.get(new GroundTruth.Key(id, row));
                if (before != null && before.doubleValue() == label) {
                    same++;
                    continue;
                }
                rows.add(new String[]{id, Integer.toString(row), Double.toString(label)});
            }
        }
        // a row whose label is still NULL holds the watermark back, so it is read again until its label arrives
        return new Read(rows, read, same, unlabelled, waiting != null && high != null && waiting.compareTo(high) < 0 ? waiting : high);
    }

    private static Double label(Object v, LabelTable t, String id) {
        if (v == null) {
            return null;
        }
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof Boolean b) {
            d = b ? 1 : 0;
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw wrongLabel(t, id, "'" + abbreviate(s) + "'");
            }
        } else {
            throw wrongLabel(t, id, "a " + v.getClass().getSimpleName() + " value");
        }
        if (!Double.isFinite(d)) {
            throw wrongLabel(t, id, "'" + d + "'");
        }
        return d;
    }

    private static FlywheelException wrongLabel(LabelTable t, String id, String what) {
        return FlywheelException.invalid(t.where() + ": column " + t.labelColumn() + " holds " + what + " for request " + abbreviate(id)
                + ", which is not a number; --label-column must name a column of numbers (or booleans) with the true values");
    }

    private static int rowNumber(Object v, LabelTable t, String id) {
        long n = -1;
        if (v instanceof Number x && x.doubleValue() == Math.rint(x.doubleValue())) {
            n = x.longValue();
        } else if (v instanceof String s) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw FlywheelException.invalid(t.where() + ": column " + t.rowColumn() + " holds " + (v == null ? "NULL" : "'" + abbreviate(v.toString()) + "'")
                    + " for request " + abbreviate(id) + ", which is not a row number (0 is the first); check --row-column");
        }
        return (int) n;
    }

    private static Watermark watermark(Object v, LabelTable t, String id) {
        return switch (v) {
            case null -> null;
            case Number n -> new Watermark(Watermark.Kind.NUMBER, new BigDecimal(n.toString()).toPlainString());
            case Timestamp ts -> new Watermark(Watermark.Kind.TIME, ts.toInstant().toString());
            case java.sql.Date d -> new Watermark(Watermark.Kind.TIME, Instant.ofEpochMilli(d.getTime()).toString());
            case OffsetDateTime o -> new Watermark(Watermark.Kind.TIME, o.toInstant().toString());
            case LocalDateTime l -> new Watermark(Watermark.Kind.TIME, Timestamp.valueOf(l).toInstant().toString());
            case String s -> new Watermark(Watermark.Kind.TEXT, s);
            default -> throw FlywheelException.invalid(t.where() + ": column " + t.watermarkColumn() + " holds a " + v.getClass().getSimpleName()
                    + " value for request " + abbreviate(id) + "; --watermark-column must name a column of numbers, times or text that"
                    + " grows with every new row (an identity column, an inserted_at or updated_at)");
        };
    }

    private static String describe(Watermark w) {
        return w.kind().name().toLowerCase(Locale.ROOT) + " '" + abbreviate(w.value()) + "'";
    }

    /** The columns as the database names them (case included), checked against what the table has. */
    private record Columns(String id, String label, String row, String watermark) {
    }

    private static Columns columns(Connection c, LabelTable t) {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t.table() + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnName(i));
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw FlywheelException.notFound("Table " + t.table() + " cannot be read at " + LabelTable.masked(t.url()) + ": " + e.getMessage()
                    + ". Check --table (schema.table for another schema) and that the user may read it");
        }
        return new Columns(find(names, t.idColumn(), "--id-column", t), find(names, t.labelColumn(), "--label-column", t),
                t.rowColumn() == null ? null : find(names, t.rowColumn(), "--row-column", t),
                t.watermarkColumn() == null ? null : find(names, t.watermarkColumn(), "--watermark-column", t));
    }

    private static String find(List<String> names, String wanted, String option, LabelTable t) {
        for (String n : names) {
            if (n.equalsIgnoreCase(wanted)) {
                return n;
            }
        }
        throw FlywheelException.notFound("Table " + t.table() + " at " + LabelTable.masked(t.url()) + " has no column '" + wanted
                + "' (" + option + "); its columns are " + names);
    }

    private static void requireDriver(LabelTable t) {
        try {
            DriverManager.getDriver(t.url());
        } catch (SQLException e) {
            throw FlywheelException.invalid("No JDBC driver accepts " + LabelTable.masked(t.url()) + "; Flywheel includes PostgreSQL"
                    + " (jdbc:postgresql://host:5432/db) and SQLite (jdbc:sqlite:/path/file.db); for another database put its driver's"
                    + " jar on the class path");
        }
        if (t.url().startsWith("jdbc:sqlite:")) {
            // SQLite creates a missing file on connect: a typo would read an empty new database instead of failing
            String file = t.url().substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "");
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:") && !Files.isRegularFile(Path.of(file))) {
                throw FlywheelException.notFound("SQLite database " + file + " does not exist; check --jdbc-url (jdbc:sqlite:/path/file.db)");
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next anyway
        }
    }

    private static String quote(String column) {
        return "\"" + column.replace("\"", "\"\"") + "\"";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
