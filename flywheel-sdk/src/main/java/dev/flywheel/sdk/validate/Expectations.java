package dev.flywheel.sdk.validate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What data must look like.
 *
 * @param columns      each expected numeric column with its inclusive range, in the order problems are reported
 * @param sourceColumn a column naming where each row came from (a batch file), so a problem names the source; or null
 */
public record Expectations(List<ColumnRange> columns, String sourceColumn) {
    public Expectations {
        columns = List.copyOf(columns);
    }

    /** An expected numeric column and its inclusive range. */
    public record ColumnRange(String column, double min, double max) {
        public ColumnRange {
            Objects.requireNonNull(column, "column");
            if (!(min <= max)) {
                throw new IllegalArgumentException("range of '" + column + "' is empty: [" + min + ", " + max + "]");
            }
        }
    }

    /** {@code column -> [min, max]}, in the map's order. */
    public static Expectations ranges(Map<String, double[]> ranges, String sourceColumn) {
        return new Expectations(new LinkedHashMap<>(ranges).entrySet().stream()
                .map(e -> new ColumnRange(e.getKey(), e.getValue()[0], e.getValue()[1])).toList(), sourceColumn);
    }
}
