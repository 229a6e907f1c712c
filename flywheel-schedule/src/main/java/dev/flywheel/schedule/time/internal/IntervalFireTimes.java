package dev.flywheel.schedule.time.internal;

import dev.flywheel.schedule.time.FireTimes;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires at {@code start + k * every} for k = 0, 1, 2, ... before the end; computed by arithmetic, not stepping. A fire
 * beyond the last representable instant does not exist: the schedule simply has no more fires, never an overflow.
 */
public final class IntervalFireTimes implements FireTimes {
    private final Duration every;
    private final Instant start;
    private final Optional<Instant> end;

    public IntervalFireTimes(Duration every, Instant start, Optional<Instant> end) {
        this.every = Objects.requireNonNull(every, "every");
        this.start = Objects.requireNonNull(start, "start");
        this.end = Objects.requireNonNull(end, "end");
    }

    @Override
    public Instant start() {
        return start;
    }

    @Override
    public Optional<Instant> end() {
        return end;
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        return fire(firstIndexAfter(after)).filter(next -> end.isEmpty() || next.isBefore(end.get()));
    }

    @Override
    public List<Instant> between(Instant after, Instant upTo) {
        return range(firstIndexAfter(after), lastIndexAtOrBefore(upTo));
    }

    @Override
    public List<Instant> latest(Instant after, Instant upTo, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long last = lastIndexAtOrBefore(upTo);
        return range(Math.max(firstIndexAfter(after), last - limit + 1), last);
    }

    private List<Instant> range(long first, long last) {
        List<Instant> fires = new ArrayList<>();
        for (long k = first; k <= last; k++) {
            Optional<Instant> fire = fire(k);
            if (fire.isEmpty()) {
                break;
            }
            fires.add(fire.get());
        }
        return fires;
    }

    private Optional<Instant> fire(long index) {
        try {
            return Optional.of(start.plus(every.multipliedBy(index)));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty(); // past Instant.MAX: no such fire
        }
    }

    private long firstIndexAfter(Instant t) {
        return t.isBefore(start) ? 0 : Duration.between(start, t).dividedBy(every) + 1;
    }

    /** The index of the last fire at or before {@code t} and before the end; -1 when there is none. */
    private long lastIndexAtOrBefore(Instant t) {
        if (end.isPresent() && !t.isBefore(end.get())) {
            t = end.get().minusNanos(1);
        }
        return t.isBefore(start) ? -1 : Duration.between(start, t).dividedBy(every);
    }
}
