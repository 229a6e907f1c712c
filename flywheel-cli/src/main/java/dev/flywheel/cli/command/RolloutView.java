package dev.flywheel.cli.command;

import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.CheckResult;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutStep;
import dev.flywheel.deploy.rollout.StepDecision;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A rollout as {@code --json} prints it: the plan, where it is, and every decision with its numbers. */
record RolloutView(UUID id, UUID service, String model, int championVersion, int challengerVersion, String strategy, String state,
                   int step, int weight, List<Step> steps, Analysis analysis, int failures, String reason, Instant createdAt,
                   Instant updatedAt, List<Decision> decisions) {

    record Step(int weight, String duration) {
    }

    record Analysis(String interval, int failureLimit, long minSamples, double maxErrorRate, Double maxP99Ms, Double maxPredictionDrift) {
    }

    record Decision(int seq, Instant at, int step, int weight, String verdict, String action, List<CheckResult> checks) {
    }

    static RolloutView of(RolloutRecord r) {
        AnalysisConfig a = r.plan().analysis();
        return new RolloutView(r.id(), r.service(), r.modelName(), r.championVersion(), r.challengerVersion(), r.plan().strategy().label(),
                r.state().label(), r.stepIndex(), r.weight(),
                r.plan().steps().stream().map((RolloutStep s) -> new Step(s.weight(), Durations.format(s.pause()))).toList(),
                new Analysis(Durations.format(a.interval()), a.failureLimit(), a.minSamples(), a.maxErrorRate(),
                        a.maxP99() == null ? null : a.maxP99().toNanos() / 1e6, a.maxPredictionDrift()),
                r.failures(), r.reason(), r.createdAt(), r.updatedAt(),
                r.decisions().stream().map((StepDecision d) -> new Decision(d.seq(), d.at(), d.step(), d.weight(), d.verdict().label(),
                        d.action(), d.checks())).toList());
    }

    /** One line: {@code canary 10% of version 2 beside version 1 (progressing)}. */
    static String split(RolloutRecord r) {
        return r.plan().strategy().label() + " " + r.weight() + "% of version " + r.challengerVersion() + " beside version " + r.championVersion()
                + " (" + r.state().label() + ", rollout " + r.shortId() + ")";
    }
}
