package dev.flywheel.cd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How an accepted version goes live: {@code replace} (the default: one switch of the step's server), {@code canary}
 * (it answers a growing share of client keys beside the version that serves, analysed on live traffic every interval,
 * promoted after the last step or rolled back at the first failed analysis) or {@code shadow} (every request is
 * mirrored to it off the response path for {@code durationSeconds}, its answers compared and never returned). A canary
 * or shadow is the same rollout as {@code flywheel models deploy NAME VERSION --canary/--shadow}: the step ends once it
 * started (the run records its id), the service's supervisor drives it on, and the registry's production stage moves
 * only when it is promoted. With nothing serving the model yet there is no champion to compare with live, so the
 * version is deployed by {@code replace} and the decision says so.
 *
 * <pre>{@code
 * DeployIfBetter.Config.metric("rmse", "cnt").withStrategy(DeployStrategy.canary(List.of(10, 50, 100), 60).withMaxP99Millis(50))
 * }</pre>
 *
 * @param kind                    replace (default), canary or shadow
 * @param steps                   a canary's weights in percent, growing (default 10, 50, 100)
 * @param stepSeconds             how long each canary step lasts at least (default 60)
 * @param durationSeconds         how long a shadow lasts (default 600)
 * @param analysisIntervalSeconds time between analyses of the live traffic (default 60, at least 10)
 * @param maxErrorRate            highest share of failed challenger requests (default 0.01)
 * @param maxP99Millis            highest p99 latency of the challenger, or null for no latency check
 * @param maxPredictionDrift      highest prediction drift against the champion, or null for no drift check
 * @param minSamples              requests an analysis needs to judge (default 50; fewer pause the rollout)
 * @param failureLimit            failed analyses that roll back (default 1)
 */
public record DeployStrategy(Kind kind, List<Integer> steps, Integer stepSeconds, Integer durationSeconds, Integer analysisIntervalSeconds,
                             Double maxErrorRate, Double maxP99Millis, Double maxPredictionDrift, Integer minSamples, Integer failureLimit) {
    /** The shortest analysis interval: shorter ones judge on noise (the rollouts' own floor). */
    public static final int MIN_INTERVAL_SECONDS = 10;

    /** The kinds of deploy. */
    public enum Kind {
        REPLACE, CANARY, SHADOW;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String text) {
            return Arrays.stream(values()).filter(k -> k.label().equalsIgnoreCase(text == null ? "" : text.strip())).findFirst()
                    .orElseThrow(() -> FlywheelException.invalid("DeployIfBetter: strategy kind '" + text + "' is not one of replace, canary, shadow"));
        }
    }

    public DeployStrategy {
        if (kind == null) {
            kind = Kind.REPLACE;
        }
        if (kind == Kind.REPLACE && (steps != null || stepSeconds != null || durationSeconds != null || analysisIntervalSeconds != null
                || maxErrorRate != null || maxP99Millis != null || maxPredictionDrift != null || minSamples != null || failureLimit != null)) {
            throw FlywheelException.invalid("DeployIfBetter: the replace strategy switches all traffic at once and takes no steps or analysis;"
                    + " set strategy kind canary or shadow to use them");
        }
        if (kind == Kind.SHADOW && (steps != null || stepSeconds != null)) {
            throw FlywheelException.invalid("DeployIfBetter: a shadow strategy mirrors every request for durationSeconds; steps and stepSeconds are"
                    + " for a canary");
        }
        if (kind == Kind.CANARY && durationSeconds != null) {
            throw FlywheelException.invalid("DeployIfBetter: a canary lasts its steps (stepSeconds each); durationSeconds is for a shadow");
        }
        if (kind != Kind.REPLACE) {
            steps = kind == Kind.CANARY ? List.copyOf(steps == null ? List.of(10, 50, 100) : steps) : null;
            stepSeconds = kind == Kind.CANARY ? (stepSeconds == null ? 60 : stepSeconds) : null;
            durationSeconds = kind == Kind.SHADOW ? (durationSeconds == null ? 600 : durationSeconds) : null;
            analysisIntervalSeconds = analysisIntervalSeconds == null ? 60 : analysisIntervalSeconds;
            maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
            minSamples = minSamples == null ? 50 : minSamples;
            failureLimit = failureLimit == null ? 1 : failureLimit;
            validate(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, maxErrorRate, maxP99Millis, maxPredictionDrift,
                    minSamples, failureLimit);
        }
    }

    private static void validate(Kind kind, List<Integer> steps, Integer stepSeconds, Integer durationSeconds, int interval, double maxErrorRate,
                                 Double maxP99Millis, Double maxPredictionDrift, int minSamples, int failureLimit) {
        if (kind == Kind.CANARY) {
            if (steps.isEmpty()) {
                throw FlywheelException.invalid("DeployIfBetter: a canary needs steps, for example [10, 50, 100]");
            }
            for (int i = 0; i < steps.size(); i++) {
                Integer w = steps.get(i);
                if (w == null || w < 1 || w > 100 || (i > 0 && w <= steps.get(i - 1))) {
                    throw FlywheelException.invalid("DeployIfBetter: canary steps must be growing percentages from 1 to 100, got " + steps
                            + "; for example [10, 50, 100]");
                }
            }
            if (stepSeconds < 0) {
                throw FlywheelException.invalid("DeployIfBetter: stepSeconds cannot be negative, got " + stepSeconds);
            }
        }
        if (kind == Kind.SHADOW && durationSeconds < 1) {
            throw FlywheelException.invalid("DeployIfBetter: a shadow's durationSeconds must be at least 1, got " + durationSeconds);
        }
        if (interval < MIN_INTERVAL_SECONDS) {
            throw FlywheelException.invalid("DeployIfBetter: analysisIntervalSeconds " + interval + " is under the floor of " + MIN_INTERVAL_SECONDS
                    + " s; analyses that close together judge on noise");
        }
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw FlywheelException.invalid("DeployIfBetter: maxErrorRate is a share from 0 to 1 (0.01 = 1 %), got " + maxErrorRate);
        }
        if (maxP99Millis != null && !(maxP99Millis > 0)) {
            throw FlywheelException.invalid("DeployIfBetter: maxP99Millis must be positive, got " + maxP99Millis);
        }
        if (maxPredictionDrift != null && !(maxPredictionDrift >= 0)) {
            throw FlywheelException.invalid("DeployIfBetter: maxPredictionDrift must be 0 or more, got " + maxPredictionDrift);
        }
        if (minSamples < 1 || failureLimit < 1) {
            throw FlywheelException.invalid("DeployIfBetter: minSamples and failureLimit must be at least 1, got " + minSamples + " and " + failureLimit);
        }
    }

    /** One switch of all traffic (the default). */
    public static DeployStrategy replace() {
        return new DeployStrategy(Kind.REPLACE, null, null, null, null, null, null, null, null, null);
    }

    /** A canary by {@code steps} (percent of client keys), each held at least {@code stepSeconds}; analysis defaults. */
    public static DeployStrategy canary(List<Integer> steps, int stepSeconds) {
        return new DeployStrategy(Kind.CANARY, steps, stepSeconds, null, null, null, null, null, null, null);
    }

    /** A shadow for {@code durationSeconds}; analysis defaults. */
    public static DeployStrategy shadow(int durationSeconds) {
        return new DeployStrategy(Kind.SHADOW, null, null, durationSeconds, null, null, null, null, null, null);
    }

    public DeployStrategy withAnalysisIntervalSeconds(int seconds) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, seconds, maxErrorRate, maxP99Millis, maxPredictionDrift,
                minSamples, failureLimit);
    }

    public DeployStrategy withMaxErrorRate(double share) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, share, maxP99Millis, maxPredictionDrift,
                minSamples, failureLimit);
    }

    public DeployStrategy withMaxP99Millis(double millis) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, maxErrorRate, millis, maxPredictionDrift,
                minSamples, failureLimit);
    }

    public DeployStrategy withMaxPredictionDrift(double drift) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, maxErrorRate, maxP99Millis, drift,
                minSamples, failureLimit);
    }

    public DeployStrategy withMinSamples(int samples) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, maxErrorRate, maxP99Millis, maxPredictionDrift,
                samples, failureLimit);
    }

    public DeployStrategy withFailureLimit(int limit) {
        return new DeployStrategy(kind, steps, stepSeconds, durationSeconds, analysisIntervalSeconds, maxErrorRate, maxP99Millis, maxPredictionDrift,
                minSamples, limit);
    }

    /** Whether the version goes live through a rollout (canary or shadow) rather than one switch. */
    public boolean progressive() {
        return kind != Kind.REPLACE;
    }

    /** {@code canary 10,50,100 every 60 s} or {@code shadow 600 s}, for logs. */
    public String describe() {
        return switch (kind) {
            case REPLACE -> "replace";
            case CANARY -> "canary " + steps + " (" + stepSeconds + " s a step, analysis every " + analysisIntervalSeconds + " s)";
            case SHADOW -> "shadow for " + durationSeconds + " s (analysis every " + analysisIntervalSeconds + " s)";
        };
    }
}
