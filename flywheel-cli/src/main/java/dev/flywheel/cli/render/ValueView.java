package dev.flywheel.cli.render;

import dev.flywheel.sdk.data.Column;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.LongColumn;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;

import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code flywheel artifacts show} prints a stored value: text as itself, a table as its first rows, a model as
 * its header, anything else as JSON. Long tables and arrays are cut to {@code limit} rows or elements, saying so.
 */
public final class ValueView {
    private ValueView() {
    }

    /** Prints {@code value} for a person. */
    public static void print(PrintWriter out, Object value, int limit) {
        switch (value) {
            case String s -> out.println(s);
            case Number n -> out.println(n);
            case Boolean b -> out.println(b);
            case Character c -> out.println(c);
            case Table t -> printTable(out, t, limit);
            default -> Json.print(out, tree(value, limit));
        }
        out.flush();
    }

    private static void printTable(PrintWriter out, Table t, int limit) {
        TextTable view = new TextTable(t.columnNames().toArray(String[]::new));
        int rows = Math.min(limit, t.rowCount());
        for (int r = 0; r < rows; r++) {
            Object[] cells = new Object[t.columnCount()];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cell(t.column(t.columnNames().get(c)), r);
            }
            view.row(cells);
        }
        if (t.columnCount() > 0) {
            view.print(out);
        }
        out.println("(" + t.rowCount() + " rows x " + t.columnCount() + " columns" + (rows < t.rowCount() ? ", first " + rows + " shown" : "") + ")");
    }

    private static Object cell(Column column, int row) {
        return switch (column) {
            case DoubleColumn d -> d.get(row);
            case LongColumn l -> l.get(row);
            case StringColumn s -> s.get(row);
        };
    }

    /**
     * A JSON-ready form of a value: tables as {@code {columns, rowCount, rows}}, models as their header, optionals as
     * their value or null, arrays and collections as lists (at most {@code limit} elements), the rest as Jackson
     * writes it.
     */
    public static Object tree(Object value, int limit) {
        return switch (value) {
            case null -> null;
            case byte[] b -> Map.of("bytes", b.length);
            case Table t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("columns", t.columnNames());
                m.put("rowCount", t.rowCount());
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int r = 0; r < Math.min(limit, t.rowCount()); r++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String c : t.columnNames()) {
                        row.put(c, cell(t.column(c), r));
                    }
                    rows.add(row);
                }
                m.put("rows", rows);
                yield m;
            }
            case Model model -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", model.name());
                m.put("format", model.format());
                m.put("bytes", model.content().length);
                m.put("signature", model.signature());
                m.put("metrics", model.metrics());
                yield m;
            }
            case Optional<?> o -> o.map(v -> tree(v, limit)).orElse(null);
            case Map<?, ?> map -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                map.forEach((k, v) -> m.put(k, tree(v, limit)));
                yield m;
            }
            case Collection<?> c -> c.stream().limit(limit).map(v -> tree(v, limit)).toList();
            default -> {
                if (value.getClass().isArray()) {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < Math.min(limit, Array.getLength(value)); i++) {
                        items.add(Array.get(value, i));
                    }
                    yield items;
                }
                yield value;
            }
        };
    }
}
