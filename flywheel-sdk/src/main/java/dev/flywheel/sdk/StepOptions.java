package dev.flywheel.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step is executed.
 *
 * @param cache        whether an unchanged step (same code, config and inputs) may reuse earlier outputs
 * @param retries      extra attempts after a failure (0 = run once)
 * @param retryBackoff the pause before the first retry; it doubles on each further retry
 * @param timeout      the longest one attempt may run; {@code null} means no limit
 * @param onStepOperator whether the step runs on the stack's step operator (a Spark cluster) instead of in the
 *                       orchestrator's process
 */
public record StepOptions(boolean cache, int retries, Duration retryBackoff, Duration timeout, boolean onStepOperator) {
    public static final StepOptions DEFAULT = new StepOptions(true, 0, Duration.ofMillis(200), null, false);

    /** Options of a step that runs in the orchestrator's process. */
    public StepOptions(boolean cache, int retries, Duration retryBackoff, Duration timeout) {
        this(cache, retries, retryBackoff, timeout, false);
    }

    public StepOptions {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must not be negative, got " + retryBackoff);
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }
}
