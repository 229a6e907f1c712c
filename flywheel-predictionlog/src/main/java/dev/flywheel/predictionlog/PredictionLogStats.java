package dev.flywheel.predictionlog;

/**
 * Counters of a {@link PredictionLog} since it opened.
 *
 * @param offered      requests offered to the log
 * @param sampledOut   requests left out by the sampling rate (not losses)
 * @param dropped      requests lost: the queue was full, or a write failed
 * @param droppedRows  the input rows of the dropped requests
 * @param writtenRows  rows written to a log file
 * @param sealedFiles  hourly files finished as Parquet
 */
public record PredictionLogStats(long offered, long sampledOut, long dropped, long droppedRows, long writtenRows,
                                 long sealedFiles) {
}
