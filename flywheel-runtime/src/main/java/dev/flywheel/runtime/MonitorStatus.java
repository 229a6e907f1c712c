package dev.flywheel.runtime;

import java.time.Instant;

/**
 * One model's monitoring state over the last 24 hours.
 *
 * @param model              the model
 * @param version            the newest version logged, or 0 when nothing was logged
 * @param rows               logged rows in the window
 * @param lastPrediction     the newest logged prediction, or null
 * @param droppedRequests    requests the prediction log lost in the window
 * @param hasReference       whether that version has a reference profile
 * @param driftedFeatures    features drifting (null when drift could not be computed)
 * @param features           features compared (null likewise)
 * @param datasetDrift       whether the dataset drifts (null likewise)
 * @param problem            why drift could not be computed, or null
 */
public record MonitorStatus(String model, int version, long rows, Instant lastPrediction, long droppedRequests,
                            boolean hasReference, Integer driftedFeatures, Integer features, Boolean datasetDrift,
                            String problem) {
}
