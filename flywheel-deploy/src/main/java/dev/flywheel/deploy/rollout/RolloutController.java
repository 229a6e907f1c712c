package dev.flywheel.deploy.rollout;

import dev.flywheel.serving.api.RoleStats;
import dev.flywheel.serving.api.TrafficReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Drives one service's rollout: every {@link #tick()} settles the server to the stored rollout (so a restarted server
 * gets its split back at the stored weight) and, every analysis interval while progressing, analyses the interval's
 * traffic and decides: hold, next step, promote at the last step's end, pause when inconclusive, roll back at the
 * failure limit. Each decision is stored with its numbers by a compare-and-set, then applied at once, so a failed
 * check puts all traffic back on the champion within the same pass. Time comes from the injected Clock; the analysis
 * window lives in memory, so a restarted controller starts a fresh window at the stored step.
 */
public final class RolloutController {
    private static final Logger log = LoggerFactory.getLogger(RolloutController.class);
    private final RolloutStore store;
    private final UUID service;
    private final RolloutSettlement settlement;
    private final RolloutOutcomes outcomes;
    private final Clock clock;
    private UUID windowRollout;
    private int windowRevision = -1;
    private TrafficReport baseline;
    private Instant windowStart;

    public RolloutController(RolloutStore store, UUID service, RolloutTarget target, RolloutOutcomes outcomes, Clock clock) {
        this.store = store;
        this.service = service;
        this.settlement = new RolloutSettlement(target, outcomes);
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** One pass; the service's newest rollout as it stands afterwards, or empty when it has none. */
    public synchronized Optional<RolloutRecord> tick() {
        Optional<RolloutRecord> latest = store.latest(service);
        if (latest.isEmpty()) {
            return latest;
        }
        RolloutRecord r = latest.get();
        TrafficReport now = settlement.settle(r);
        Instant t = clock.instant();
        if (r.state() != RolloutState.PROGRESSING) {
            windowRollout = null;
            return latest;
        }
        if (!r.id().equals(windowRollout) || r.revision() != windowRevision || now.challengerVersion() != r.challengerVersion()) {
            startWindow(r, now, t);
            return latest;
        }
        if (Duration.between(windowStart, t).compareTo(r.plan().analysis().interval()) < 0) {
            return latest;
        }
        TrafficReport window = minus(now, baseline);
        Analysis.Result result = Analysis.run(r.plan().analysis(), window);
        Optional<RolloutRecord> decided = decide(r, result, t);
        decided.ifPresent(d -> {
            TrafficReport after = settlement.settle(d);
            if (d.state() == RolloutState.FAILED) {
                outcomes.rolledBack(d);
            }
            startWindow(d, after, t);
        });
        return decided.isPresent() ? decided : store.find(r.id());
    }

    private void startWindow(RolloutRecord r, TrafficReport now, Instant t) {
        windowRollout = r.id();
        windowRevision = r.revision();
        baseline = now;
        windowStart = t;
    }

    private record Choice(RolloutRecord next, String action) {
    }

    private Optional<RolloutRecord> decide(RolloutRecord r, Analysis.Result result, Instant t) {
        int weight = r.weight();
        Choice choice = switch (result.verdict()) {
            case FAIL -> {
                int failures = r.failures() + 1;
                int limit = r.plan().analysis().failureLimit();
                yield failures >= limit
                        ? new Choice(r.next(RolloutState.FAILED, r.stepIndex(), failures, "analysis failed at " + weight + "%: " + result.describe(),
                                r.stepStartedAt(), t), "rollback")
                        : new Choice(r.next(RolloutState.PROGRESSING, r.stepIndex(), failures, r.reason(), r.stepStartedAt(), t),
                                "hold (failure " + failures + " of " + limit + ")");
            }
            case INCONCLUSIVE -> new Choice(r.next(RolloutState.PAUSED, r.stepIndex(), r.failures(), "inconclusive at " + weight + "%: "
                    + result.describe() + "; resume with: flywheel rollouts resume " + r.shortId(), r.stepStartedAt(), t), "pause");
            case PASS -> {
                boolean stepDone = Duration.between(r.stepStartedAt(), t).compareTo(r.plan().step(r.stepIndex()).pause()) >= 0;
                if (!stepDone) {
                    yield new Choice(r.next(RolloutState.PROGRESSING, r.stepIndex(), r.failures(), r.reason(), r.stepStartedAt(), t), "hold");
                }
                if (r.plan().lastStep(r.stepIndex())) {
                    yield new Choice(r.next(RolloutState.PROMOTED, r.stepIndex(), r.failures(), "every analysis passed", r.stepStartedAt(), t),
                            "promote");
                }
                int step = r.stepIndex() + 1;
                yield new Choice(r.next(RolloutState.PROGRESSING, step, r.failures(), r.reason(), t, t),
                        "next step " + r.plan().step(step).weight() + "%");
            }
        };
        StepDecision decision = new StepDecision(0, t, r.stepIndex(), weight, result.verdict(), result.checks(), choice.action());
        Optional<RolloutRecord> stored = store.change(r, choice.next(), decision);
        stored.ifPresent(s -> log.info("rollout={} model={} version={} at {}%: {} -> {} ({})", r.shortId(), r.modelName(), r.challengerVersion(),
                weight, result.verdict().label(), choice.action(), result.describe()));
        return stored;
    }

    /** The interval's traffic: the report now minus the report at the window's start, role by role. */
    static TrafficReport minus(TrafficReport now, TrafficReport start) {
        RoleStats champion = now.champion().minus(start.champion());
        RoleStats challenger = now.challenger() == null ? null : now.challenger().minus(start.challenger());
        return new TrafficReport(now.modelName(), now.mode(), now.weight(), champion, challenger, now.shadow().minus(start.shadow()));
    }
}
