package dev.flywheel.server.internal;

import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.CheckResult;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.StepDecision;
import dev.flywheel.sdk.DurationText;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A rollout as the API answers it and its page shows it (the shape of the CLI's {@code rollouts status --json}): the
 * plan, where it is, and every decision with the numbers it was taken on.
 */
public record RolloutView(UUID id, String shortId, UUID service, String model, int championVersion, int challengerVersion, String strategy,
                          String state, boolean active, int step, int weight, List<Step> steps, Analysis analysis, int failures, String reason,
                          Instant createdAt, Instant updatedAt, List<Decision> decisions) {

    /** A step of the plan: its weight, how long it is held, and whether the rollout is on it now or past it. */
    public record Step(int index, int weight, String duration, boolean current, boolean passed) {
    }

    public record Analysis(String interval, int failureLimit, long minSamples, double maxErrorRate, Double maxP99Ms, Double maxPredictionDrift) {
    }

    public record Decision(int seq, Instant at, int step, int weight, String verdict, String action, List<Check> checks) {
    }

    /** One check's numbers; {@code value} is null when nothing could be measured (JSON has no NaN). */
    public record Check(String check, Double value, double threshold, long samples, String verdict) {
    }

    public static RolloutView of(RolloutRecord r) {
        AnalysisConfig a = r.plan().analysis();
        List<Step> steps = new ArrayList<>();
        boolean ended = !r.state().active();
        for (int i = 0; i < r.plan().steps().size(); i++) {
            var s = r.plan().step(i);
            steps.add(new Step(i, s.weight(), DurationText.format(s.pause()), !ended && i == r.stepIndex(), i < r.stepIndex()));
        }
        return new RolloutView(r.id(), r.shortId(), r.service(), r.modelName(), r.championVersion(), r.challengerVersion(),
                r.plan().strategy().label(), r.state().label(), r.state().active(), r.stepIndex(), r.weight(), steps,
                new Analysis(DurationText.format(a.interval()), a.failureLimit(), a.minSamples(), a.maxErrorRate(),
                        a.maxP99() == null ? null : a.maxP99().toNanos() / 1e6, a.maxPredictionDrift()),
                r.failures(), r.reason(), r.createdAt(), r.updatedAt(), r.decisions().stream().map(RolloutView::decision).toList());
    }

    private static Decision decision(StepDecision d) {
        return new Decision(d.seq(), d.at(), d.step(), d.weight(), d.verdict().label(), d.action(), d.checks().stream().map(RolloutView::check).toList());
    }

    private static Check check(CheckResult c) {
        return new Check(c.check(), Double.isFinite(c.value()) ? c.value() : null, c.threshold(), c.samples(), c.verdict().label());
    }

    /** One line: {@code canary 10% of version 2 beside version 1 (progressing)}. */
    public String split() {
        return strategy + " " + weight + "% of version " + challengerVersion + " beside version " + championVersion + " (" + state + ")";
    }
}
