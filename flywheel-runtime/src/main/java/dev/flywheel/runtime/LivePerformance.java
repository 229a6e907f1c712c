package dev.flywheel.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a served model does on the requests whose ground truth arrived ({@code flywheel monitor labels}), window by
 * window, beside the metrics its version was registered with.
 *
 * @param model   the model
 * @param version the version the offline metrics are of (the newest one logged)
 * @param from    the start of the first window
 * @param to      the end of the last window
 * @param offline the version's registered (offline) metrics
 * @param windows one entry per window with labelled rows, oldest first
 */
public record LivePerformance(String model, int version, Instant from, Instant to, Map<String, Double> offline,
                              List<Window> windows) {
    public LivePerformance {
        offline = Map.copyOf(offline);
        windows = List.copyOf(windows);
    }

    /** Metrics of the labelled rows answered in {@code [start, end)} by {@code version}. */
    public record Window(Instant start, Instant end, int version, long labelledRows, Map<String, Double> metrics) {
        public Window {
            metrics = Map.copyOf(metrics);
        }
    }
}
