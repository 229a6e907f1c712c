package dev.flywheel.schedule;

/**
 * One line of {@code schedules list} or {@code triggers list}: a schedule or trigger that can be read, or a stored one
 * whose definition cannot be (listed so that it can be found and deleted, never skipped silently).
 *
 * @param <T> what a readable line holds ({@link ScheduleDescription}, {@link TriggerDescription})
 */
public sealed interface Listed<T> {

    /** A schedule or trigger as it is described. */
    record Readable<T>(T value) implements Listed<T> {
    }

    /** A stored schedule or trigger whose definition cannot be read. */
    record Unreadable<T>(UnreadableSource source) implements Listed<T> {
    }
}
