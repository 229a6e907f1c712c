package dev.flywheel.sdk;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When a pipeline runs again by itself. Immutable: every fluent method returns a new schedule.
 *
 * <pre>{@code
 * Schedule.every(Duration.ofDays(14));
 * Schedule.cron("0 3 * * MON", ZoneId.of("Europe/Berlin"))
 *         .startingAt(Instant.parse("2026-01-01T00:00:00Z"))
 *         .catchUp(CatchUp.ALL)
 *         .maxConcurrentRuns(2);
 * }</pre>
 *
 * <p>Fires happen at times {@code t} with {@code start <= t < end}: the start is included, the end is not.
 * An interval schedule fires at its start and then every interval after it.
 *
 * @param timing            interval or cron
 * @param start             the first instant the schedule may fire; {@code null} means "when the schedule is
 *                          registered" - the scheduler then uses the registration time as the start (and as the
 *                          anchor of an interval), so an interval schedule's first run happens at registration
 * @param end               the instant from which the schedule no longer fires; {@code null} for never
 * @param catchUp           what to do with fires missed while no scheduler ran; {@link CatchUp#LATEST} by default
 * @param maxConcurrentRuns how many runs of this schedule may run at once (at least 1, 1 by default); a fire that
 *                          finds them all busy waits and launches when one finishes
 */
public record Schedule(Timing timing, Instant start, Instant end, CatchUp catchUp, int maxConcurrentRuns) {
    public Schedule {
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(catchUp, "catchUp");
        if (start != null && end != null && !end.isAfter(start)) {
            throw FlywheelException.invalid("Schedule ends at " + end + ", which is not after its start " + start
                    + "; pick an end after the start or drop endingAt(...)");
        }
        if (maxConcurrentRuns < 1) {
            throw FlywheelException.invalid("Schedule maxConcurrentRuns is " + maxConcurrentRuns
                    + "; it must be at least 1");
        }
    }

    /** Fires every {@code every} (at least one second), starting at the start; see {@link Timing.Interval}. */
    public static Schedule every(Duration every) {
        return new Schedule(new Timing.Interval(every), null, null, CatchUp.LATEST, 1);
    }

    /** Fires at the wall-clock times of a cron expression in {@code zone}; see {@link Timing.Cron}. */
    public static Schedule cron(String expression, ZoneId zone) {
        return new Schedule(new Timing.Cron(expression, zone), null, null, CatchUp.LATEST, 1);
    }

    /** This schedule, first firing at or after {@code start} (not null). */
    public Schedule startingAt(Instant start) {
        return new Schedule(timing, Objects.requireNonNull(start, "start"), end, catchUp, maxConcurrentRuns);
    }

    /** This schedule, no longer firing at or after {@code end} (not null). */
    public Schedule endingAt(Instant end) {
        return new Schedule(timing, start, Objects.requireNonNull(end, "end"), catchUp, maxConcurrentRuns);
    }

    /** This schedule with another catch-up policy. */
    public Schedule catchUp(CatchUp policy) {
        return new Schedule(timing, start, end, Objects.requireNonNull(policy, "catchUp"), maxConcurrentRuns);
    }

    /** This schedule with another cap on concurrent runs (at least 1). */
    public Schedule maxConcurrentRuns(int max) {
        return new Schedule(timing, start, end, catchUp, max);
    }
}
