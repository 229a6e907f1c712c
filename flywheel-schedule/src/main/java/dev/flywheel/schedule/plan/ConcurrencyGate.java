package dev.flywheel.schedule.plan;

import java.time.Instant;
import java.util.List;

/**
 * Lets due fires through while a schedule has free run slots. A fire that finds every slot busy is deferred, not
 * dropped: the scheduler keeps it due (it does not record it as handled) and offers it again when a run
 * finishes, so fires launch in order, late but never lost.
 */
public final class ConcurrencyGate {
    private ConcurrencyGate() {
    }

    /**
     * Splits {@code due} (oldest first) into the fires that launch now and those that wait.
     *
     * @param due     fires waiting to launch, oldest first
     * @param running runs of this schedule that are running now (at least 0)
     * @param max     the schedule's maxConcurrentRuns (at least 1)
     */
    public static Admission admit(List<Instant> due, int running, int max) {
        if (running < 0 || max < 1) {
            throw new IllegalArgumentException("running must be >= 0 and max >= 1, got " + running + " and " + max);
        }
        int free = Math.max(0, max - running);
        int launch = Math.min(free, due.size());
        return new Admission(due.subList(0, launch), due.subList(launch, due.size()));
    }

    /**
     * The gate's decision.
     *
     * @param launchNow fires to launch now, oldest first
     * @param deferred  fires that stay due until a run finishes, oldest first
     */
    public record Admission(List<Instant> launchNow, List<Instant> deferred) {
        public Admission {
            launchNow = List.copyOf(launchNow);
            deferred = List.copyOf(deferred);
        }
    }
}
