package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.CategoricalProfile;
import dev.flywheel.monitor.ColumnProfile;
import dev.flywheel.monitor.NumericProfile;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.LongColumn;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;

/**
 * One column as the drift methods read it, made from a table's column or from a stored profile: the present values
 * (sorted numbers, or counts per category) and how many rows were missing.
 */
public sealed interface ColumnData permits NumericData, CategoricalData {

    String name();

    /** {@code double}, {@code long} or {@code string}. */
    String type();

    /** Rows in the data the column came from. */
    long rows();

    /** Present values in that data. */
    long count();

    default long missing() {
        return rows() - count();
    }

    default double missingShare() {
        return rows() == 0 ? 0 : (double) missing() / rows();
    }

    /** The column of {@code table} named {@code name}. */
    static ColumnData of(Table table, String name) {
        return switch (table.column(name)) {
            case DoubleColumn d -> NumericData.of(name, "double", d.toArray());
            case LongColumn l -> NumericData.of(name, "long", l.toDoubles());
            case StringColumn s -> CategoricalData.of(name, s.toArray());
        };
    }

    /** The column a profile describes. */
    static ColumnData of(ColumnProfile profile) {
        return switch (profile) {
            case NumericProfile p -> NumericData.of(p);
            case CategoricalProfile p -> CategoricalData.of(p);
        };
    }
}
