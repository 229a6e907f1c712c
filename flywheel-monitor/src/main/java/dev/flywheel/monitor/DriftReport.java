package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.flywheel.sdk.FlywheelException;

import java.util.List;

/**
 * The result of one comparison: a {@link ColumnDrift} per compared column, in the configured order, and the
 * dataset-level decision. Drift is a result, not an error.
 *
 * @param referenceRows rows in the reference (for a profile: in the data it was made from)
 * @param currentRows   rows in the current data
 * @param columns       one result per compared column
 * @param dataset       whether the dataset as a whole drifted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DriftReport(long referenceRows, long currentRows, List<ColumnDrift> columns, DatasetDrift dataset) {

    public DriftReport {
        columns = List.copyOf(columns);
    }

    /** The result for {@code name}; an error listing the compared columns if there is none. */
    public ColumnDrift column(String name) {
        return columns.stream().filter(c -> c.column().equals(name)).findFirst()
                .orElseThrow(() -> FlywheelException.invalid("column '" + name + "' was not compared; compared: "
                        + columns.stream().map(ColumnDrift::column).toList()));
    }
}
