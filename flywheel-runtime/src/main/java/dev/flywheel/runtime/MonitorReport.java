package dev.flywheel.runtime;

import dev.flywheel.monitor.DriftReport;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Drift of what a served model version was asked in a window, against the reference profile of its training data.
 *
 * @param model           the model
 * @param version         the version compared (the newest one logged in the window)
 * @param from            the window's start (inclusive)
 * @param to              the window's end (exclusive)
 * @param rows            logged input rows of {@code version} in the window
 * @param rowsByVersion   logged rows of every version seen in the window
 * @param droppedRequests requests the prediction log lost in the window (counted by the servers)
 * @param drift           per feature: method, score, threshold, drifted; and the dataset's verdict
 * @param histograms      per compared numeric feature, reference and current counts over the reference's bins
 */
public record MonitorReport(String model, int version, Instant from, Instant to, long rows, Map<Integer, Long> rowsByVersion,
                            long droppedRequests, DriftReport drift, List<FeatureHistogram> histograms) {
    public MonitorReport {
        rowsByVersion = Map.copyOf(rowsByVersion);
        histograms = List.copyOf(histograms);
    }

    /**
     * Counts of one feature in the same bins: {@code edges} has one more entry than each count array; current values
     * below the first edge count in the first bin, above the last in the last.
     */
    public record FeatureHistogram(String feature, double[] edges, long[] reference, long[] current) {
    }
}
