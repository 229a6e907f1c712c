package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How a column is compared. Numeric columns ({@code double} and {@code long}) can use every method; categorical
 * columns ({@code string}) only the methods that compare counts per value.
 */
public enum ColumnKind {
    NUMERIC,
    CATEGORICAL;

    /** {@code numeric} or {@code categorical}: the name in JSON and tables. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
