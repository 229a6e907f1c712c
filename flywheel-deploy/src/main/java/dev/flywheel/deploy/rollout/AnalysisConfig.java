package dev.flywheel.deploy.rollout;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks run every {@code interval} over the challenger's live traffic of that interval, in the spirit of Argo
 * Rollouts' AnalysisTemplate: each has a threshold; a check with fewer than {@code minSamples} samples is
 * inconclusive (the rollout pauses); {@code failureLimit} failed analyses roll back.
 *
 * @param interval           time between analyses (default 60 s; at least {@link #INTERVAL_FLOOR} when a rollout starts)
 * @param failureLimit       failed analyses that roll back (default 1)
 * @param minSamples         requests (or compared rows) a check needs to judge (default 50)
 * @param maxErrorRate       highest share of failed challenger requests (default 0.01: success rate at least 99 %)
 * @param maxP99             highest p99 latency of the challenger, or null for no latency check
 * @param maxPredictionDrift highest prediction drift against the champion, or null for no drift check: for a shadow
 *                           the mean absolute difference on the same requests relative to the champion's mean absolute
 *                           answer; for a canary the difference of the mean answers in the same interval in units of
 *                           the champion's standard deviation
 */
public record AnalysisConfig(Duration interval, int failureLimit, long minSamples, double maxErrorRate, Duration maxP99,
                             Double maxPredictionDrift) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** The shortest interval a rollout may use: shorter ones judge on noise. */
    public static final Duration INTERVAL_FLOOR = Duration.ofSeconds(10);
    public static final AnalysisConfig DEFAULT = new AnalysisConfig(DEFAULT_INTERVAL, 1, 50, 0.01, null, null);

    public AnalysisConfig {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw FlywheelException.invalid("the analysis interval must be positive, got " + interval);
        }
        if (failureLimit < 1) {
            throw FlywheelException.invalid("the failure limit must be at least 1, got " + failureLimit);
        }
        if (minSamples < 1) {
            throw FlywheelException.invalid("the minimum sample count must be at least 1, got " + minSamples);
        }
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw FlywheelException.invalid("--max-error-rate must be from 0% to 100%, got " + maxErrorRate * 100 + "%");
        }
        if (maxP99 != null && (maxP99.isNegative() || maxP99.isZero())) {
            throw FlywheelException.invalid("--max-p99 must be positive, got " + maxP99);
        }
        if (maxPredictionDrift != null && !(maxPredictionDrift >= 0)) {
            throw FlywheelException.invalid("--max-prediction-drift must be 0 or more, got " + maxPredictionDrift);
        }
    }

    public AnalysisConfig withInterval(Duration d) {
        return new AnalysisConfig(d, failureLimit, minSamples, maxErrorRate, maxP99, maxPredictionDrift);
    }

    /** Refuses an interval under {@code floor} (a rollout's start checks {@link #INTERVAL_FLOOR}). */
    public void requireInterval(Duration floor) {
        if (interval.compareTo(floor) < 0) {
            throw FlywheelException.invalid("the analysis interval " + interval.toMillis() + " ms is under the floor of " + floor.toSeconds()
                    + " s; analyses that close together judge on noise: use --analysis-interval " + floor.toSeconds() + "s or more");
        }
    }
}
