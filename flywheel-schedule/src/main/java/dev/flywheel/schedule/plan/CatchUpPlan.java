package dev.flywheel.schedule.plan;

import dev.flywheel.sdk.LaunchReason;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What to do with a schedule's due fires now.
 *
 * @param launch            fires to launch now, oldest first (they still pass the {@link ConcurrencyGate})
 * @param skipped           fires not launched, oldest first, to record as skipped in the schedule's history
 * @param olderSkipsOmitted true when even older fires were missed and skipped but are not listed (the listing is
 *                          capped so a long outage of a frequent schedule does not flood the history)
 * @param nextFire          the first fire after now, empty when the schedule has ended
 */
public record CatchUpPlan(List<Instant> launch, List<Instant> skipped, boolean olderSkipsOmitted,
                          Optional<Instant> nextFire) {
    public CatchUpPlan {
        launch = List.copyOf(launch);
        skipped = List.copyOf(skipped);
        Objects.requireNonNull(nextFire, "nextFire");
    }

    /**
     * The newest fire this plan handles (launched or skipped): the scheduler records it as the last fire once the
     * launches are recorded, so the next plan starts after it. Empty when nothing was due.
     */
    public Optional<Instant> lastHandled() {
        return Stream.concat(launch.stream(), skipped.stream()).max(Instant::compareTo);
    }

    /** The launch reasons of {@link #launch} for schedule {@code scheduleId}. */
    public List<LaunchReason.ScheduledFire> launchReasons(String scheduleId) {
        return launch.stream().map(t -> new LaunchReason.ScheduledFire(scheduleId, t)).toList();
    }
}
