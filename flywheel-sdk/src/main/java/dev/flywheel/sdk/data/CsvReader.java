package dev.flywheel.sdk.data;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an RFC 4180 CSV file into a {@link Table}. It parses the raw bytes (the delimiters are ASCII, which never
 * occur inside a multi-byte UTF-8 sequence) and remembers each cell as a byte range, so numeric columns are
 * parsed straight from the bytes without a String per cell; only string columns allocate Strings.
 */
final class CsvReader {
    private final Path file;
    private final byte[] b;
    private final int n;
    private int pos;
    private int line = 1;
    /** Per cell: start, end (exclusive); start is {@code ~start} when the quoted cell holds {@code ""} escapes. */
    private int[] cells = new int[4096];
    private int cellCount;

    private double parsedDouble;
    private long parsedLong;

    private CsvReader(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
        this.n = bytes.length;
        if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            pos = 3; // UTF-8 byte order mark, as Excel writes it
        }
    }

    static Table read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "CSV file " + file.toAbsolutePath() + " does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "CSV file " + file.toAbsolutePath() + " is not readable; check its permissions");
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read CSV file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return new CsvReader(file, bytes).parse();
    }

    private Table parse() {
        int headerFields;
        do {
            headerFields = record();
        } while (headerFields == 0);
        if (headerFields < 0) {
            throw invalid("is empty; a CSV file needs a header row with the column names");
        }
        List<String> names = new ArrayList<>(headerFields);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < headerFields; i++) {
            String name = string(i);
            if (name == null || name.isBlank()) {
                throw invalid("line 1: column " + (i + 1) + " of the header has no name; give every column a name");
            }
            if (!seen.add(name)) {
                throw invalid("line 1: column name '" + name + "' appears twice in the header; column names must be unique");
            }
            names.add(name);
        }
        cellCount = 0;
        int rows = 0;
        while (true) {
            int recordLine = line;
            int fields = record();
            if (fields < 0) {
                break;
            }
            if (fields == 0) {
                continue; // blank line
            }
            if (fields != headerFields) {
                throw invalid("line " + recordLine + " has " + fields + " fields but the header has " + headerFields
                        + "; every row needs exactly one value per column (leave a cell empty for a missing value,"
                        + " and quote values that contain commas)");
            }
            rows++;
        }
        List<Column> columns = new ArrayList<>(headerFields);
        for (int c = 0; c < headerFields; c++) {
            columns.add(column(c, headerFields, rows));
        }
        return Table.of(names, columns);
    }

    private FlywheelException invalid(String what) {
        return new FlywheelException(ErrorCode.INVALID_ARGUMENT, "CSV file " + file + " " + what);
    }

    /** Parses one record; returns its field count, 0 for a blank line, -1 at the end of the input. */
    private int record() {
        if (pos >= n) {
            return -1;
        }
        if (b[pos] == '\n' || b[pos] == '\r') {
            newline();
            return 0;
        }
        int fields = 0;
        while (true) {
            if (pos < n && b[pos] == '"') {
                int quoteLine = line;
                int start = ++pos;
                boolean escaped = false;
                while (true) {
                    if (pos >= n) {
                        throw invalid("line " + quoteLine + ": a quoted field is never closed; add the closing \"");
                    }
                    byte c = b[pos];
                    if (c == '"') {
                        if (pos + 1 < n && b[pos + 1] == '"') {
                            escaped = true;
                            pos += 2;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    pos++;
                }
                add(escaped ? ~start : start, pos);
                pos++;
                if (pos < n && b[pos] != ',' && b[pos] != '\n' && b[pos] != '\r') {
                    throw invalid("line " + line + ", field " + (fields + 1) + ": unexpected text after a closing quote;"
                            + " quote the whole field and write a \" inside it as \"\"");
                }
            } else {
                int start = pos;
                while (pos < n) {
                    byte c = b[pos];
                    if (c == ',' || c == '\n' || c == '\r') {
                        break;
                    }
                    pos++;
                }
                add(start, pos);
            }
            fields++;
            if (pos >= n) {
                return fields;
            }
            if (b[pos] == ',') {
                pos++;
                continue;
            }
            newline();
            return fields;
        }
    }

    private void newline() {
        if (b[pos++] == '\r' && pos < n && b[pos] == '\n') {
            pos++;
        }
        line++;
    }

    private void add(int start, int end) {
        if (cellCount + 2 > cells.length) {
            cells = java.util.Arrays.copyOf(cells, cells.length * 2);
        }
        cells[cellCount++] = start;
        cells[cellCount++] = end;
    }

    private Column column(int c, int width, int rows) {
        long[] longs = new long[rows];
        double[] doubles = null;
        boolean missing = false;
        for (int r = 0; r < rows; r++) {
            int i = (r * width + c) * 2;
            int start = cells[i];
            int end = cells[i + 1];
            if (start < 0) {
                return strings(c, width, rows); // a quoted cell with "" escapes is never a number
            }
            if (start == end) {
                missing = true;
                if (doubles != null) {
                    doubles[r] = Double.NaN;
                }
                continue;
            }
            if (doubles == null) {
                if (parseLong(start, end)) {
                    longs[r] = parsedLong;
                    continue;
                }
                doubles = widen(longs, r, c, width);
            }
            if (!parseDouble(start, end)) {
                return strings(c, width, rows);
            }
            doubles[r] = parsedDouble;
        }
        if (doubles == null && missing) {
            doubles = widen(longs, rows, c, width);
        }
        if (doubles == null && rows == 0) {
            return DoubleColumn.owning(new double[0]); // header only: nothing says otherwise, numeric is the common case
        }
        return doubles != null ? DoubleColumn.owning(doubles) : LongColumn.owning(longs);
    }

    private double[] widen(long[] longs, int upTo, int c, int width) {
        double[] d = new double[longs.length];
        for (int r = 0; r < upTo; r++) {
            int i = (r * width + c) * 2;
            d[r] = cells[i] == cells[i + 1] ? Double.NaN : longs[r];
        }
        return d;
    }

    private StringColumn strings(int c, int width, int rows) {
        String[] out = new String[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = string(r * width + c);
        }
        return StringColumn.owning(out);
    }

    /** The text of cell {@code cell} (counted from the first cell kept), or null if empty. */
    private String string(int cell) {
        int start = cells[cell * 2];
        int end = cells[cell * 2 + 1];
        if (start >= 0) {
            return start == end ? null : new String(b, start, end - start, StandardCharsets.UTF_8);
        }
        start = ~start;
        byte[] out = new byte[end - start];
        int len = 0;
        for (int i = start; i < end; i++) {
            out[len++] = b[i];
            if (b[i] == '"') {
                i++; // the second quote of a "" pair
            }
        }
        return new String(out, 0, len, StandardCharsets.UTF_8);
    }

    private int trimStart(int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        return s;
    }

    private int trimEnd(int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }

    private boolean parseLong(int s, int e) {
        s = trimStart(s, e);
        e = trimEnd(s, e);
        int i = s;
        boolean negative = false;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        if (i == e || e - i > 18) {
            return e - i > 18 && slowLong(s, e);
        }
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            v = v * 10 + d;
        }
        parsedLong = negative ? -v : v;
        return true;
    }

    private boolean slowLong(int s, int e) {
        try {
            parsedLong = Long.parseLong(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            return true;
        } catch (NumberFormatException tooLargeOrNotANumber) {
            return false;
        }
    }

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};

    /**
     * Accepts {@code [+-]digits[.digits][(e|E)[+-]digits]}, {@code NaN} and {@code [+-]Inf[inity]} (any case).
     * Uses Clinger's fast path when the decimal mantissa and the power of ten are both exact doubles, where one
     * multiplication or division is correctly rounded; otherwise falls back to {@link Double#parseDouble}.
     */
    private boolean parseDouble(int s, int e) {
        s = trimStart(s, e);
        e = trimEnd(s, e);
        int i = s;
        boolean negative = false;
        if (i < e && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        if (i < e && (b[i] | 0x20) >= 'a' && (b[i] | 0x20) <= 'z') {
            return special(i, e, negative);
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean exact = true;
        for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
            digits++;
            if (mantissa < 100_000_000_000_000_000L) {
                mantissa = mantissa * 10 + (b[i] - '0');
            } else {
                exact = false;
            }
        }
        if (i < e && b[i] == '.') {
            i++;
            for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                digits++;
                if (mantissa < 100_000_000_000_000_000L) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    scale--;
                } else {
                    exact = false;
                }
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int exponentStart = i;
            int exponent = 0;
            for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (b[i] - '0');
                }
            }
            if (i == exponentStart) {
                return false;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != e) {
            return false;
        }
        if (exact && mantissa < (1L << 53) && scale >= -22 && scale <= 22) {
            double v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
            parsedDouble = negative ? -v : v;
            return true;
        }
        parsedDouble = Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
        return true;
    }

    private boolean special(int i, int e, boolean negative) {
        String word = new String(b, i, e - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        switch (word) {
            case "nan" -> parsedDouble = Double.NaN;
            case "inf", "infinity" -> parsedDouble = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default -> {
                return false;
            }
        }
        return true;
    }
}
