package dev.flywheel.sdk;

import java.time.Duration;
import java.util.Map;

/**
 * How one step of a run ended.
 *
 * @param outputs  output name to artifact id
 * @param attempts how many times the step was started (0 when skipped or cached)
 * @param error    the failure message, or {@code null}
 */
public record StepResult(String name, StepStatus status, Duration duration, int attempts, Map<String, String> outputs,
                         String error) {
    public StepResult {
        outputs = Map.copyOf(outputs);
    }
}
