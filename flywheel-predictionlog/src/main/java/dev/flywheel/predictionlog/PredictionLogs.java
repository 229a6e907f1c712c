package dev.flywheel.predictionlog;

import dev.flywheel.predictionlog.internal.HourlyParquetLog;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens prediction logs. */
public final class PredictionLogs {
    private PredictionLogs() {
    }

    /**
     * A log writing hourly Parquet files under {@code settings.dir()}; at start it seals, in the background, what a
     * server killed earlier left there.
     *
     * @throws UncheckedIOException when the folder cannot be created
     */
    public static PredictionLog open(PredictionLogSettings settings) {
        try {
            return new HourlyParquetLog(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the prediction log folder " + settings.dir() + ": " + e.getMessage(), e);
        }
    }
}
