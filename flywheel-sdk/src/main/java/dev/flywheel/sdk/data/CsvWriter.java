package dev.flywheel.sdk.data;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a table as RFC 4180 CSV that {@link CsvReader} reads back to the same column types. */
final class CsvWriter {
    private CsvWriter() {
    }

    /** Writes to a sibling temporary file first, so a reader never sees half a file under {@code file}'s name. */
    static void write(Table table, Path file) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                write(table, out);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE,
                    "could not write CSV file " + absolute + ": " + e + "; check the folder exists and is writable", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    static void write(Table table, Writer out) throws IOException {
        List<String> names = table.columnNames();
        StringBuilder sb = new StringBuilder(256);
        for (int c = 0; c < names.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            appendText(sb, names.get(c));
        }
        sb.append('\n');
        out.append(sb);
        Column[] columns = names.stream().map(table::column).toArray(Column[]::new);
        for (int r = 0; r < table.rowCount(); r++) {
            sb.setLength(0);
            for (int c = 0; c < columns.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                switch (columns[c]) {
                    case DoubleColumn d -> {
                        double v = d.raw()[r];
                        if (!Double.isNaN(v)) {
                            sb.append(v); // Double.toString keeps ".0", so the column reads back as double
                        }
                    }
                    case LongColumn l -> sb.append(l.raw()[r]);
                    case StringColumn s -> {
                        String v = s.raw()[r];
                        if (v != null) {
                            appendText(sb, v);
                        }
                    }
                }
            }
            sb.append('\n');
            out.append(sb);
        }
    }

    private static void appendText(StringBuilder sb, String v) {
        boolean quote = v.isEmpty() || v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ';
        for (int i = 0; i < v.length() && !quote; i++) {
            char ch = v.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        sb.append('"');
    }
}
