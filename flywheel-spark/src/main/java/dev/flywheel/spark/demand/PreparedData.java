package dev.flywheel.spark.demand;

import java.util.List;

/**
 * Batches turned into Parquet by Spark: the history to train on and the fresh batch to evaluate on, where they
 * are (folders the cluster can read) and how many rows they hold. The rows never pass through Flywheel's process.
 */
public record PreparedData(String history, String fresh, long historyRows, long freshRows, List<String> features, String target,
                           List<String> historyFiles, String freshFile) {
    public PreparedData {
        features = List.copyOf(features);
        historyFiles = List.copyOf(historyFiles);
    }
}
