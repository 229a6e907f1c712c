package dev.flywheel.cd;

import dev.flywheel.cd.internal.ConditionCheck;
import dev.flywheel.cd.internal.RejectionAlert;
import dev.flywheel.cd.internal.Scoreboard;
import dev.flywheel.cd.metric.Metric;
import dev.flywheel.cd.spi.Contender;
import dev.flywheel.cd.spi.DeployGate;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.MetricDirection;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The deployment gate, a ready-made step for any model: scores the new version (the challenger) and what serves now
 * (or the registry's production version) on the same evaluation data, checks every condition, and only when all hold
 * deploys the challenger through the stack's model deployer (a hot swap of the step's server), promotes it to
 * production and rolls production out to the other servers that follow it. The decision, with every condition and
 * its numbers, is the step's output, its metadata and its log. A rejection is also an alert through the stack's
 * alerter (model, versions, the failed metric with both numbers, the reason), recorded with the other alerts.
 *
 * <pre>{@code
 * .step(DeployIfBetter.class, new DeployIfBetter.Config("rmse", "cnt", 120, 1.0))          // rmse <= 120, 1.0 better
 * .step(DeployIfBetter.class, DeployIfBetter.Config.metric("roc_auc", "busy").withThreshold(0.8)
 *         .withMinImprovement(0.005).and(Condition.of("log_loss").withMinAbsoluteChange(-0.01))
 *         .withMaxLatencyMillis(5).withGates("fairness"))
 * }</pre>
 * Inputs: {@code model} (the new {@link Model}) and {@code evaluation} (a {@link Table} with the model's features and
 * the label column). Metrics: {@link Metric#names()} computed on the evaluation data, {@code latency_p50_ms},
 * {@code latency_p95_ms}, {@code model_size_bytes}, or any metric recorded with the versions in the registry.
 */
public final class DeployIfBetter {

    /**
     * @param metric                 the main metric (its condition comes first in the decision); null when only
     *                               {@code conditions} or {@code gates} decide
     * @param labelColumn            the evaluation data's label column
     * @param threshold              the main metric's bound (at most for lower-is-better, at least for higher), or null
     * @param minImprovement         how much better than the baseline the main metric must be (absolute), or null
     * @param minRelativeImprovement how much better as a fraction of the baseline's value (0.01 = 1%), or null
     * @param direction              the main metric's direction when its name does not tell
     * @param conditions             more conditions, all of which must hold
     * @param compareWith            {@code SERVED} (default: what serves now) or {@code PRODUCTION} (the registry's)
     * @param maxLatencyMillis       the challenger's p95 one-row prediction time must be at most this, or null
     * @param maxModelBytes          the challenger's model file must be at most this big, or null
     * @param gates                  names of plugged {@link DeployGate}s (found with ServiceLoader) that must pass too
     * @param decisionThreshold      a binary classifier predicts class 1 at this probability or above (default 0.5)
     * @param timeoutSeconds         how long the deploy may take (default 120)
     * @param strategy               how an accepted version goes live: replace (default), canary or shadow ({@link DeployStrategy})
     */
    public record Config(String metric, String labelColumn, Double threshold, Double minImprovement, Double minRelativeImprovement,
                         MetricDirection direction, List<Condition> conditions, CompareWith compareWith, Double maxLatencyMillis,
                         Long maxModelBytes, List<String> gates, Double decisionThreshold, Integer timeoutSeconds, DeployStrategy strategy) {
        public Config {
            if (strategy == null) {
                strategy = DeployStrategy.replace();
            }
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            gates = gates == null ? List.of() : List.copyOf(gates);
            if (compareWith == null) {
                compareWith = CompareWith.SERVED;
            }
            if (decisionThreshold == null) {
                decisionThreshold = 0.5;
            }
            if (timeoutSeconds == null || timeoutSeconds <= 0) {
                timeoutSeconds = 120;
            }
            if (metric == null && conditions.isEmpty() && gates.isEmpty() && maxLatencyMillis == null && maxModelBytes == null) {
                throw FlywheelException.invalid("DeployIfBetter needs something to decide on: a metric (one of " + Metric.names()
                        + ", or one recorded in the registry), conditions, or gates");
            }
            if (!(decisionThreshold > 0 && decisionThreshold < 1)) {
                throw FlywheelException.invalid("DeployIfBetter: decisionThreshold must be between 0 and 1, got " + decisionThreshold);
            }
            if (metric != null) {
                conditionsWithMain(metric, direction, threshold, minImprovement, minRelativeImprovement, conditions);
            }
            if (needsLabels(metric, conditions) && (labelColumn == null || labelColumn.isBlank())) {
                throw FlywheelException.invalid("DeployIfBetter: labelColumn must name the evaluation data's label column");
            }
            for (String g : gates) {
                if (g == null || g.isBlank()) {
                    throw FlywheelException.invalid("DeployIfBetter: gates lists an empty name");
                }
            }
        }

        /** The old four-number form: lower-is-better or higher-is-better {@code metric}, a threshold and a minimum improvement. */
        public Config(String metric, String labelColumn, double threshold, double minImprovement) {
            this(metric, labelColumn, threshold, minImprovement, 120);
        }

        public Config(String metric, String labelColumn, double threshold, double minImprovement, int timeoutSeconds) {
            this(metric, labelColumn, threshold, minImprovement, null, null, null, null, null, null, null, null, timeoutSeconds, null);
        }

        /** The form before strategies: the accepted version replaces the served one. */
        public Config(String metric, String labelColumn, Double threshold, Double minImprovement, Double minRelativeImprovement,
                      MetricDirection direction, List<Condition> conditions, CompareWith compareWith, Double maxLatencyMillis,
                      Long maxModelBytes, List<String> gates, Double decisionThreshold, Integer timeoutSeconds) {
            this(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith, maxLatencyMillis,
                    maxModelBytes, gates, decisionThreshold, timeoutSeconds, null);
        }

        /** A gate on one metric, with no bounds yet: the challenger must be at least as good as the baseline. */
        public static Config metric(String metric, String labelColumn) {
            return new Config(metric, labelColumn, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public Config withThreshold(double bound) {
            return new Config(metric, labelColumn, bound, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withMinImprovement(double absolute) {
            return new Config(metric, labelColumn, threshold, absolute, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withMinRelativeImprovement(double fraction) {
            return new Config(metric, labelColumn, threshold, minImprovement, fraction, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        /** Adds a condition that must hold too. */
        public Config and(Condition condition) {
            List<Condition> more = new ArrayList<>(conditions);
            more.add(condition);
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, more, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config comparedWith(CompareWith what) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, what,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withMaxLatencyMillis(double millis) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    millis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withMaxModelBytes(long bytes) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, bytes, gates, decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withGates(String... names) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, List.of(names), decisionThreshold, timeoutSeconds, strategy);
        }

        public Config withDecisionThreshold(double probability) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, probability, timeoutSeconds, strategy);
        }

        /** How an accepted version goes live: {@link DeployStrategy#canary}, {@link DeployStrategy#shadow} or replace. */
        public Config withStrategy(DeployStrategy how) {
            return new Config(metric, labelColumn, threshold, minImprovement, minRelativeImprovement, direction, conditions, compareWith,
                    maxLatencyMillis, maxModelBytes, gates, decisionThreshold, timeoutSeconds, how);
        }

        /** Every metric condition, the main one first, then latency and size bounds. */
        public List<Condition> allConditions() {
            List<Condition> all = metric == null ? new ArrayList<>(conditions)
                    : conditionsWithMain(metric, direction, threshold, minImprovement, minRelativeImprovement, conditions);
            if (maxLatencyMillis != null) {
                all.add(new Condition(Condition.LATENCY_P95, MetricDirection.LOWER_IS_BETTER, maxLatencyMillis, null, null));
            }
            if (maxModelBytes != null) {
                all.add(new Condition(Condition.MODEL_SIZE, MetricDirection.LOWER_IS_BETTER, (double) maxModelBytes, null, null));
            }
            return all;
        }

        private static List<Condition> conditionsWithMain(String metric, MetricDirection direction, Double threshold, Double minImprovement,
                                                          Double minRelative, List<Condition> more) {
            List<Condition> all = new ArrayList<>();
            all.add(new Condition(metric, direction, threshold, minImprovement, minRelative));
            all.addAll(more);
            return all;
        }

        private static boolean needsLabels(String metric, List<Condition> conditions) {
            return metric != null && Metric.named(metric).isPresent() || conditions.stream().anyMatch(c -> Metric.named(c.metric()).isPresent());
        }
    }

    @Step(output = "decision")
    public GateDecision gate(@Input("model") Model model, @Input("evaluation") Table evaluation, Config config, StepContext ctx) {
        ctx.metadata("gate.strategy", config.strategy().kind().label());
        DeploymentBackend backend = ctx.component(DeploymentBackend.class);
        List<DeployGate> plugged = gates(config.gates());
        DeploymentBackend.VersionInfo challenger = backend.registered(model, ctx);
        Baseline baseline = baseline(backend, model.name(), config.compareWith(), ctx);
        GateDecision decision;
        if (baseline.version() != null && baseline.version().version() == challenger.version()) {
            decision = new GateDecision(false, "version " + challenger.version() + " is already " + (baseline.source().equals("served")
                    ? "served" : "in production"), model.name(), challenger.version(), challenger.version(), baseline.source(), List.of(), null, null, null);
        } else {
            decision = decide(backend, model.name(), challenger, baseline, evaluation, config, plugged, ctx);
        }
        if (decision.accepted()) {
            decision = goLive(backend, decision, config, ctx);
        }
        record(decision, ctx);
        if (!decision.accepted() && decision.candidateVersion() != decision.baselineVersion()) {
            // told after the decision is recorded: a receiver that is down never changes what the gate decided
            RejectionAlert.post(decision, ctx);
        }
        return decision;
    }

    /**
     * Serves the accepted challenger by the config's strategy. Deploy first: a version is promoted only once it serves
     * (by a rollout: only once the rollout promotes it). A failed deploy fails the step; the old version serves on.
     */
    private static GateDecision goLive(DeploymentBackend backend, GateDecision decision, Config config, StepContext ctx) {
        DeployStrategy how = config.strategy();
        String note = null;
        if (how.progressive()) {
            Optional<DeploymentBackend.Release> started = backend.startRollout(decision.model(), decision.candidateVersion(), how, ctx);
            if (started.isPresent()) {
                DeploymentBackend.Release r = started.get();
                return decision.live(r.serviceId(), r.predictionUrl(), List.of(), r.rolloutId(), how.kind().label() + " rollout "
                        + r.rolloutId().substring(0, 8) + " started; production moves when it is promoted");
            }
            note = "nothing serves '" + decision.model() + "' to run a " + how.kind().label() + " beside, so the version replaced it at once";
        }
        DeploymentBackend.Release release = backend.deployAndPromote(decision.model(), decision.candidateVersion(), ctx,
                Duration.ofSeconds(config.timeoutSeconds()));
        return decision.live(release.serviceId(), release.predictionUrl(), release.rollout(), null, note);
    }

    private record Baseline(DeploymentBackend.VersionInfo version, String source) {
        String role() {
            return source + " v" + version.version();
        }
    }

    private static Baseline baseline(DeploymentBackend backend, String model, CompareWith compareWith, StepContext ctx) {
        if (compareWith == CompareWith.SERVED) {
            Optional<DeploymentBackend.Served> served = backend.served(model, ctx);
            if (served.isPresent()) {
                return new Baseline(served.get().version(), "served");
            }
        }
        return backend.production(model).map(v -> new Baseline(v, "production")).orElse(new Baseline(null, "none"));
    }

    private static GateDecision decide(DeploymentBackend backend, String model, DeploymentBackend.VersionInfo challenger, Baseline baseline,
                                       Table evaluation, Config config, List<DeployGate> plugged, StepContext ctx) {
        try (LoadedModel c = backend.open(model, challenger.version());
             LoadedModel b = baseline.version() == null ? null : backend.open(model, baseline.version().version())) {
            Contender challengerSide = new Contender(challenger.version(), "challenger", c, challenger.fileBytes(), challenger.metrics());
            Contender baselineSide = b == null ? null : new Contender(baseline.version().version(), baseline.role(), b,
                    baseline.version().fileBytes(), baseline.version().metrics());
            Scoreboard board = new Scoreboard(model, challengerSide, baselineSide, evaluation, config.labelColumn(), config.decisionThreshold(), ctx);
            List<ConditionResult> results = new ArrayList<>();
            for (Condition condition : config.allConditions()) {
                results.add(ConditionCheck.check(condition, board));
            }
            for (DeployGate gate : plugged) {
                List<ConditionResult> verdicts = gate.evaluate(board);
                if (verdicts == null || verdicts.isEmpty()) {
                    throw FlywheelException.invalid("Deploy gate '" + gate.name() + "' (" + gate.getClass().getName() + ") returned no verdict");
                }
                results.addAll(verdicts);
            }
            boolean accepted = results.stream().allMatch(ConditionResult::passed);
            String reason = (accepted ? results.stream() : results.stream().filter(r -> !r.passed()))
                    .map(ConditionResult::reason).collect(Collectors.joining("; "));
            if (baseline.version() == null) {
                reason += accepted ? "; nothing serves model '" + model + "' and no version is in production" : "";
            }
            return new GateDecision(accepted, reason, model, challenger.version(), baseline.version() == null ? 0 : baseline.version().version(),
                    baseline.source(), results, null, null, null);
        }
    }

    /** The plugged gates by name, from the pipeline's class loader. */
    static List<DeployGate> gates(List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, DeployGate> found = new LinkedHashMap<>();
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader()).orElse(DeployIfBetter.class.getClassLoader());
        for (DeployGate g : ServiceLoader.load(DeployGate.class, loader)) {
            found.putIfAbsent(g.name(), g);
        }
        List<DeployGate> out = new ArrayList<>();
        for (String n : names) {
            DeployGate g = found.get(n);
            if (g == null) {
                throw FlywheelException.notFound("No deploy gate named '" + n + "'; found " + (found.isEmpty() ? "none" : found.keySet())
                        + ". Implement dev.flywheel.cd.spi.DeployGate and list the class in META-INF/services/dev.flywheel.cd.spi.DeployGate");
            }
            out.add(g);
        }
        return out;
    }

    private static void record(GateDecision decision, StepContext ctx) {
        ctx.log("deployment gate: %s", decision);
        for (ConditionResult r : decision.conditions()) {
            ctx.log("  %s %s [%s]: %s", r.passed() ? "PASS" : "FAIL", r.name(), r.source(), r.reason());
        }
        decision.rollout().forEach(line -> ctx.log("  rolled out: %s", line));
        ctx.metadata("gate.accepted", decision.accepted());
        ctx.metadata("gate.reason", decision.reason());
        ctx.metadata("gate.candidate_version", decision.candidateVersion());
        ctx.metadata("gate.baseline", decision.baselineSource());
        if (decision.baselineVersion() > 0) {
            ctx.metadata("gate.baseline_version", decision.baselineVersion());
        }
        for (ConditionResult r : decision.conditions()) {
            if (r.challenger() != null) {
                ctx.metadata("gate.candidate_" + r.name(), r.challenger());
            }
            if (r.baseline() != null) {
                ctx.metadata("gate.baseline_" + r.name(), r.baseline());
            }
        }
        if (decision.serviceId() != null) {
            ctx.metadata("gate.service", decision.serviceId());
            ctx.metadata("gate.prediction_url", decision.predictionUrl());
        }
        if (decision.rolloutId() != null) {
            ctx.log("  rollout %s: follow it with: flywheel rollouts status %s", decision.rolloutId(), decision.rolloutId().substring(0, 8));
            ctx.metadata("gate.rollout_id", decision.rolloutId());
        }
    }
}
