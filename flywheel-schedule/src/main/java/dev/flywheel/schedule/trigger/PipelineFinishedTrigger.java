package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A rule "when pipeline {@code upstream} ends with one of {@code on}, run {@code downstream}", for example
 * "when feature_build succeeds, run bike_demand". Immutable.
 *
 * @param upstream   the pipeline whose runs are watched
 * @param on         the statuses that trigger (not empty)
 * @param downstream the pipeline to run; not {@code upstream}, which would run itself forever
 */
public record PipelineFinishedTrigger(String upstream, Set<RunStatus> on, String downstream) {
    public PipelineFinishedTrigger {
        if (upstream == null || upstream.isBlank() || downstream == null || downstream.isBlank()) {
            throw FlywheelException.invalid("Pipeline trigger needs both pipeline names, got upstream='" + upstream
                    + "' downstream='" + downstream + "'");
        }
        if (upstream.equals(downstream)) {
            throw FlywheelException.invalid("Pipeline trigger would make '" + upstream + "' run itself after every"
                    + " run; use a schedule to repeat a pipeline");
        }
        if (on == null || on.isEmpty()) {
            throw FlywheelException.invalid("Pipeline trigger " + upstream + " -> " + downstream + " has no status to"
                    + " react to; pass for example SUCCEEDED");
        }
        on = Set.copyOf(EnumSet.copyOf(on));
    }

    /** When {@code upstream} succeeds, run {@code downstream}. */
    public static PipelineFinishedTrigger whenSucceeds(String upstream, String downstream) {
        return new PipelineFinishedTrigger(upstream, Set.of(RunStatus.SUCCEEDED), downstream);
    }

    /** The reason to launch {@link #downstream()} for this event, or empty when the rule does not apply. */
    public Optional<LaunchReason.UpstreamRun> evaluate(RunFinished event) {
        Objects.requireNonNull(event, "event");
        if (!event.pipeline().equals(upstream) || !on.contains(event.status())) {
            return Optional.empty();
        }
        return Optional.of(new LaunchReason.UpstreamRun(event.pipeline(), event.runId()));
    }
}
