package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.LaunchReason;

import java.util.Objects;

/**
 * The result of checking a data or model trigger once: fire, or wait and say why. Both carry the trigger's next state,
 * which the scheduler persists; after a {@link Fire} it persists the state only once the run is recorded, so a
 * crash in between fires again rather than losing the data.
 *
 * @param <S> the trigger's state record (what it has already consumed)
 */
public sealed interface TriggerCheck<S> {

    /** The next state to persist. */
    S state();

    /** Launch a run for {@code reason}; {@code state} marks the data (or the reading) in the reason as consumed. */
    record Fire<S>(LaunchReason reason, S state) implements TriggerCheck<S> {
        public Fire {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Do not launch yet; {@code reason} says what is missing, for logs and {@code flywheel schedules list}. */
    record Wait<S>(String reason, S state) implements TriggerCheck<S> {
        public Wait {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(state, "state");
        }
    }
}
