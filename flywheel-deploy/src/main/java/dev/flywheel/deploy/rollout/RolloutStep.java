package dev.flywheel.deploy.rollout;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.Objects;

/**
 * One step: the challenger's weight (percent of client keys for a canary, of requests mirrored for a shadow), held
 * at least {@code pause} with every analysis passing before the next step.
 */
public record RolloutStep(int weight, Duration pause) {
    public RolloutStep {
        Objects.requireNonNull(pause, "pause");
        if (weight < 1 || weight > 100) {
            throw FlywheelException.invalid("a step's weight must be a percentage from 1 to 100, got " + weight);
        }
        if (pause.isNegative()) {
            throw FlywheelException.invalid("a step's duration cannot be negative, got " + pause);
        }
    }
}
