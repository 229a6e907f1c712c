package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The dataset-level decision: drift when at least {@code threshold} of the compared columns drifted.
 *
 * @param drifted        whether the dataset drifted
 * @param driftedColumns how many columns drifted
 * @param columns        how many columns were compared
 * @param share          {@code driftedColumns / columns}
 * @param threshold      the configured share
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetDrift(boolean drifted, int driftedColumns, int columns, double share, double threshold) {

    static DatasetDrift of(int driftedColumns, int columns, double threshold) {
        double share = columns == 0 ? 0 : (double) driftedColumns / columns;
        return new DatasetDrift(columns > 0 && share >= threshold, driftedColumns, columns, share, threshold);
    }
}
