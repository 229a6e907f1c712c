package dev.flywheel.schedule.time;

import dev.flywheel.schedule.time.internal.CronFireTimes;
import dev.flywheel.schedule.time.internal.IntervalFireTimes;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.Timing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fire times of one registered {@link Schedule}: every instant {@code t} with {@code start <= t < end} that
 * its timing selects. Pure computation, no clock: callers pass the instants. Immutable and thread-safe.
 */
public interface FireTimes {

    /**
     * Compiles a schedule. Its start, when the schedule has none, is {@code registeredAt} - the time the schedule
     * was registered - which also anchors an interval.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a bad cron expression (naming it and the field), or an end
     *                           that is not after the (resolved) start
     */
    static FireTimes of(Schedule schedule, Instant registeredAt) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Instant start = schedule.start() != null ? schedule.start() : registeredAt;
        Optional<Instant> end = Optional.ofNullable(schedule.end());
        if (end.isPresent() && !end.get().isAfter(start)) {
            throw FlywheelException.invalid("Schedule ends at " + end.get() + ", before it starts at " + start
                    + " (registered at " + registeredAt + "); it would never fire. Move endingAt(...) later");
        }
        return switch (schedule.timing()) {
            case Timing.Interval interval -> new IntervalFireTimes(interval.every(), start, end);
            case Timing.Cron cron -> CronFireTimes.compile(cron, start, end);
        };
    }

    /**
     * Compiles {@code schedule} and checks that a scheduler can plan it: its next fire after {@code now} exists and
     * can be computed, as can the catch-up window before it. Run before a schedule is stored, so the scheduler never
     * meets a schedule it cannot plan.
     *
     * @throws FlywheelException INVALID_ARGUMENT for what {@link #of} refuses, a schedule that would never fire again
     *                           (ended, or a cron expression with no future match), or one whose fire times cannot be
     *                           computed
     */
    static FireTimes check(Schedule schedule, Instant registeredAt, Instant now) {
        FireTimes times = of(schedule, registeredAt);
        Optional<Instant> next;
        try {
            next = times.nextFireAfter(now);
            if (next.isPresent()) {
                times.nextFireAfter(next.get());
                times.latest(times.start().minusNanos(1), now, 1);
            }
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw FlywheelException.invalid("Schedule " + describe(schedule) + " has fire times Flywheel cannot compute ("
                    + e.getMessage() + "); pick a start, end and timing within the years 1970 to 9999");
        }
        if (next.isEmpty()) {
            throw FlywheelException.invalid("Schedule " + describe(schedule) + " would never fire after " + now
                    + (times.end().isPresent() ? ": it ends at " + times.end().get() + "; move its end later"
                    : ": its cron expression matches no time from now on; check the year field"));
        }
        return times;
    }

    private static String describe(Schedule schedule) {
        return switch (schedule.timing()) {
            case Timing.Interval i -> "every " + i.every();
            case Timing.Cron c -> "'" + c.expression() + "'";
        };
    }

    /** The first instant the schedule may fire (its resolved start). */
    Instant start();

    /** The instant from which it no longer fires, if it ends. */
    Optional<Instant> end();

    /** The first fire strictly after {@code after}, or empty when the schedule has ended by then. */
    Optional<Instant> nextFireAfter(Instant after);

    /**
     * All fires in {@code (after, upTo]}, oldest first. Costs one step per fire: meant for bounded windows; use
     * {@link #latest} when the window may hold very many fires.
     */
    default List<Instant> between(Instant after, Instant upTo) {
        List<Instant> fires = new ArrayList<>();
        Optional<Instant> next = nextFireAfter(after);
        while (next.isPresent() && !next.get().isAfter(upTo)) {
            fires.add(next.get());
            next = nextFireAfter(next.get());
        }
        return fires;
    }

    /**
     * The most recent {@code limit} fires in {@code (after, upTo]}, oldest first; fewer when the window holds
     * fewer. Searches backwards from {@code upTo} in growing windows, so its cost depends on {@code limit}, not on
     * the length of the window.
     */
    default List<Instant> latest(Instant after, Instant upTo, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        Instant floor = after.isBefore(start()) ? start().minusNanos(1) : after;
        if (!upTo.isAfter(floor)) {
            return List.of();
        }
        Duration window = Duration.ofMinutes(1);
        while (true) {
            boolean reachesFloor = Duration.between(floor, upTo).compareTo(window) <= 0;
            Instant from = reachesFloor ? floor : upTo.minus(window);
            List<Instant> fires = between(from, upTo);
            if (fires.size() >= limit || reachesFloor) {
                return List.copyOf(fires.subList(Math.max(0, fires.size() - limit), fires.size()));
            }
            window = window.multipliedBy(2);
        }
    }
}
