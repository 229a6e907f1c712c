package dev.flywheel.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A schedule with what people ask about it: when it fires next and how its last fires went.
 *
 * @param nextFire empty when the schedule has ended or is paused
 * @param lastFires newest first
 */
public record ScheduleDescription(ScheduleRecord schedule, Optional<Instant> nextFire, List<FireRecord> lastFires) {
}
