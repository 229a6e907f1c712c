package dev.flywheel.schedule.plan;

import dev.flywheel.schedule.time.FireTimes;
import dev.flywheel.sdk.CatchUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which due fires of a schedule to launch and which to skip, given the last fire the scheduler recorded
 * and the current time. Pure: the caller passes {@code now} (from its clock) and records the result.
 *
 * <p>Only the newest due fire can be on time: it is on time when {@code now} is at most the misfire threshold
 * after it, and then it launches under every policy. Every older due fire was missed, and the schedule's
 * {@link CatchUp} policy decides. Immutable and thread-safe.
 *
 * @param misfireThreshold how late a fire may be seen and still count as on time (one minute by default)
 * @param maxCatchUpRuns   the most runs {@link CatchUp#ALL} launches at once; older missed fires are skipped
 * @param maxListedSkips   the most skipped fires listed in a plan; older ones are counted as omitted
 */
public record CatchUpPlanner(Duration misfireThreshold, int maxCatchUpRuns, int maxListedSkips) {
    private static final Logger log = LoggerFactory.getLogger(CatchUpPlanner.class);

    public CatchUpPlanner {
        Objects.requireNonNull(misfireThreshold, "misfireThreshold");
        if (misfireThreshold.isNegative() || maxCatchUpRuns < 1 || maxListedSkips < 0) {
            throw new IllegalArgumentException("CatchUpPlanner needs a threshold >= 0, maxCatchUpRuns >= 1 and"
                    + " maxListedSkips >= 0; got " + misfireThreshold + ", " + maxCatchUpRuns + ", " + maxListedSkips);
        }
    }

    /** One-minute misfire threshold, at most 100 catch-up runs, at most 1000 listed skips. */
    public static CatchUpPlanner withDefaults() {
        return new CatchUpPlanner(Duration.ofMinutes(1), 100, 1000);
    }

    /**
     * Plans the fires in {@code (lastRecordedFire, now]} (from the schedule's start when it never fired).
     *
     * @param fireTimes        the schedule's compiled fire times
     * @param policy           the schedule's catch-up policy
     * @param lastRecordedFire the newest fire already launched or skipped; empty if the schedule never fired
     * @param now              the current time
     */
    public CatchUpPlan plan(FireTimes fireTimes, CatchUp policy, Optional<Instant> lastRecordedFire, Instant now) {
        Instant after = lastRecordedFire.orElse(fireTimes.start().minusNanos(1));
        int listed = Math.max(maxCatchUpRuns, 1) + maxListedSkips;
        List<Instant> due = fireTimes.latest(after, now, listed + 1);
        boolean omitted = due.size() > listed;
        if (omitted) {
            due = due.subList(1, due.size());
        }
        Optional<Instant> next = fireTimes.nextFireAfter(now);
        if (due.isEmpty()) {
            return new CatchUpPlan(List.of(), List.of(), false, next);
        }
        Instant newest = due.getLast();
        boolean newestOnTime = !newest.plus(misfireThreshold).isBefore(now);
        int keep = switch (policy) {
            case ALL -> Math.min(due.size(), maxCatchUpRuns);
            case LATEST -> 1;
            case SKIP -> newestOnTime ? 1 : 0;
        };
        List<Instant> launch = due.subList(due.size() - keep, due.size());
        List<Instant> skipped = due.subList(0, due.size() - keep);
        if (skipped.size() > maxListedSkips) {
            omitted = true;
            skipped = skipped.subList(skipped.size() - maxListedSkips, skipped.size());
        }
        int missed = due.size() - (newestOnTime ? 1 : 0);
        if (policy == CatchUp.ALL && (due.size() > maxCatchUpRuns || omitted)) {
            log.warn("catch-up capped: policy=ALL missed={}{} launching={} skipping={} cap={} since={}", missed,
                    omitted ? "+" : "", launch.size(), skipped.size(), maxCatchUpRuns, due.getFirst());
        } else if (missed > 0) {
            log.info("missed fires: policy={} missed={}{} launching={} skipping={} since={}", policy, missed,
                    omitted ? "+" : "", launch.size(), skipped.size(), due.getFirst());
        }
        return new CatchUpPlan(launch, skipped, omitted, next);
    }
}
