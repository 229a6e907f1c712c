package dev.flywheel.registry;

import java.time.Instant;

/** One row of a model's stage history: who moved which version from where to where, when and why. */
public record StageChange(String model, int seq, int version, Stage from, Stage to, String actor, Instant at, String reason) {
}
