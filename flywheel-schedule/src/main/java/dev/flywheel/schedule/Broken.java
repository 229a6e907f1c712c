package dev.flywheel.schedule;

import java.time.Instant;

/**
 * Why the scheduler stopped firing a schedule or trigger, and since when. It stays broken, skipped by every scheduler,
 * until it is updated, resumed or deleted; the others keep firing.
 */
public record Broken(String reason, Instant since) {
}
