package dev.flywheel.schedule.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a scheduler is doing its job, judged from its process and its {@link Heartbeat}: a live process whose loop
 * stopped passing (a dead loop thread, a hang) must not read as "running". Pure: the caller passes what it saw.
 */
public sealed interface SchedulerHealth {

    /** No scheduler process runs for this project. */
    record Stopped() implements SchedulerHealth {
    }

    /** The loop passes on time; {@code lastPassAge} is how long ago the last pass ended. */
    record Live(Heartbeat beat, Duration beatAge, Duration lastPassAge) implements SchedulerHealth {
    }

    /** The loop keeps passing, but its passes fail (the store is unreachable, say); it retries every poll. */
    record Failing(Heartbeat beat, Duration beatAge, Duration failingFor) implements SchedulerHealth {
    }

    /** The process runs but its loop has not passed for much longer than its poll interval: hung or dead. */
    record Stuck(Heartbeat beat, Duration beatAge, String why) implements SchedulerHealth {
    }

    /** How stale a heartbeat may be before the loop counts as stuck: several polls, and never under a few seconds. */
    static Duration stuckAfter(Duration pollInterval) {
        return pollInterval.multipliedBy(5).plusSeconds(5);
    }

    /**
     * @param running whether the scheduler's process (pid file, start time checked) is alive
     * @param beat    its last heartbeat, if it wrote one
     */
    static SchedulerHealth of(boolean running, Optional<Heartbeat> beat, Instant now) {
        if (!running) {
            return new Stopped();
        }
        if (beat.isEmpty()) {
            return new Stuck(null, null, "it has written no heartbeat since it started");
        }
        Heartbeat b = beat.get();
        Duration age = nonNegative(Duration.between(b.beatAt(), now));
        Duration limit = stuckAfter(Duration.ofMillis(b.pollIntervalMillis()));
        if (age.compareTo(limit) > 0) {
            return new Stuck(b, age, "its loop has not passed for " + seconds(age) + " (it passes at least every "
                    + seconds(Duration.ofMillis(b.pollIntervalMillis())) + ")");
        }
        if (b.failingSince() != null) {
            return new Failing(b, age, nonNegative(Duration.between(b.failingSince(), now)));
        }
        return new Live(b, age, b.lastPassAt() == null ? null : nonNegative(Duration.between(b.lastPassAt(), now)));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }
}
