package dev.flywheel.cd.spi;

import dev.flywheel.formats.LoadedModel;

import java.util.Map;

/**
 * One side of the gate's comparison: a registered version, loaded.
 *
 * @param version         the registered version
 * @param role            how the decision names it: {@code challenger}, {@code served v3}, {@code production v3}
 * @param model           the loaded model (owned by the gate: do not close it)
 * @param fileBytes       the size of its model file
 * @param recordedMetrics the metrics recorded with the version in the registry
 */
public record Contender(int version, String role, LoadedModel model, long fileBytes, Map<String, Double> recordedMetrics) {
    public Contender {
        recordedMetrics = Map.copyOf(recordedMetrics);
    }
}
