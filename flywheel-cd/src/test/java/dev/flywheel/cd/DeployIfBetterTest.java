package dev.flywheel.cd;

import dev.flywheel.cd.spi.DeployGate;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.cd.spi.GateContext;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.MetricDirection;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The gate's decisions: conditions, directions, thresholds, absolute and relative changes, several together, latency and
 * size, recorded metrics, plugged gates, and the baseline (served or production). The models are tiny in-memory ones
 * whose predictions are given, so every number is known; the deploy end of it is tested with real servers elsewhere.
 */
class DeployIfBetterTest {
    static final double[] LABELS = {0, 1, 1, 0, 1, 0, 1, 1, 0, 0};
    static final Table EVAL = Table.builder().doubles("x", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).doubles("y", LABELS).build();

    final Backend backend = new Backend();
    final Context ctx = new Context(backend);

    @Test
    void aBetterRegressorIsDeployedAndEveryConditionKeepsItsNumbers() {
        backend.add(1, predictions(LABELS, 0.5f), 100, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.1f), 100, Map.of());
        GateDecision d = gate(2, new DeployIfBetter.Config("rmse", "y", 0.3, 0.2));
        assertThat(d.accepted()).as(d.reason()).isTrue();
        assertThat(d.baselineSource()).isEqualTo("production");
        assertThat(d.baselineVersion()).isEqualTo(1);
        ConditionResult rmse = d.conditions().getFirst();
        assertThat(rmse.name()).isEqualTo("rmse");
        assertThat(rmse.source()).isEqualTo("computed on 10 rows");
        assertThat(rmse.challenger()).isCloseTo(0.1, within(1e-6));
        assertThat(rmse.baseline()).isCloseTo(0.5, within(1e-6));
        assertThat(d.reason()).contains("rmse 0.1000 <= threshold 0.3000").contains("beats production v1 (0.5000) by 0.4000");
        assertThat(backend.deployed).containsExactly("promote 2");
        assertThat(d.serviceId()).isEqualTo("svc-2");
        assertThat(ctx.metadata).containsEntry("gate.accepted", true).containsKey("gate.candidate_rmse").containsKey("gate.baseline_rmse");
    }

    @Test
    void aWorseModelIsRefusedWithTheNumbersAndNothingIsDeployed() {
        backend.add(1, predictions(LABELS, 0.1f), 100, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.3f), 100, Map.of());
        GateDecision d = gate(2, new DeployIfBetter.Config("mae", "y", 1, 0));
        assertThat(d.accepted()).isFalse();
        assertThat(d.reason()).isEqualTo("mae 0.3000 is worse than production v1 (0.1000) by 0.2000, short of the required change 0");
        assertThat(backend.deployed).isEmpty();
        assertThat(d.toString()).startsWith("REJECTED m v2: ");
        assertThat(ctx.logs).anyMatch(l -> l.contains("FAIL mae"));
    }

    @Test
    void aRejectedChallengerIsAnAlertWithTheMetricBothNumbersAndTheReasonAndAnAcceptedOneIsNot() {
        backend.add(1, predictions(LABELS, 0.1f), 100, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.3f), 100, Map.of());
        GateDecision rejected = gate(2, new DeployIfBetter.Config("mae", "y", 1, 0));
        assertThat(rejected.accepted()).isFalse();
        assertThat(ctx.alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
            assertThat(a.title()).isEqualTo("Deploy of m v2 rejected by the gate");
            assertThat(a.text()).contains("kept production v1 of m").contains("mae: v2 0.3 vs production v1 0.1 (threshold 1)")
                    .contains(rejected.reason()).contains("flywheel runs describe run-1 --logs");
            assertThat(a.details()).containsEntry("kind", "deploy_rejected").containsEntry("model", "m").containsEntry("version", "2")
                    .containsEntry("baseline", "production v1").containsEntry("metric", "mae").containsEntry("challenger_value", "0.3")
                    .containsEntry("baseline_value", "0.1").containsEntry("reason", rejected.reason())
                    .containsEntry("pipeline", "p").containsEntry("run", "run-1");
        });
        assertThat(ctx.logs).anyMatch(l -> l.contains("alert: sent (kept by the test)"));

        ctx.alerts.clear();
        backend.add(3, predictions(LABELS, 0.05f), 100, Map.of());
        assertThat(gate(3, new DeployIfBetter.Config("mae", "y", 1, 0)).accepted()).isTrue();
        assertThat(ctx.alerts).as("an accepted challenger is no alert").isEmpty();
        backend.production = 3;
        assertThat(gate(3, new DeployIfBetter.Config("mae", "y", 1, 0)).accepted()).as("already in production").isFalse();
        assertThat(ctx.alerts).as("nothing new was refused").isEmpty();
    }

    @Test
    void aRejectionOnTheModelSizeAloneNamesThatConditionInTheAlert() {
        backend.add(1, predictions(LABELS, 0.1f), 100, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.1f), 100, Map.of());
        GateDecision d = gate(2, DeployIfBetter.Config.metric("mae", "y").withMaxModelBytes(10));
        assertThat(d.accepted()).isFalse();
        assertThat(ctx.alerts).singleElement().satisfies(a -> assertThat(a.details()).containsEntry("metric", "model_size_bytes")
                .containsEntry("challenger_value", "100").containsEntry("threshold", "10"));
    }

    @Test
    void theGateComparesWithWhatServesUnlessToldToUseProduction() {
        backend.add(1, probabilities(0.9f), 100, Map.of());     // served, very good
        backend.add(2, probabilities(0.6f), 100, Map.of());     // production, mediocre
        backend.add(3, probabilities(0.7f), 100, Map.of());     // challenger
        backend.production = 2;
        backend.served = 1;
        DeployIfBetter.Config auc = DeployIfBetter.Config.metric("accuracy", "y").withMinImprovement(0.0);
        GateDecision served = gate(3, auc);
        assertThat(served.baselineSource()).isEqualTo("served");
        assertThat(served.baselineVersion()).isEqualTo(1);
        GateDecision production = gate(3, auc.comparedWith(CompareWith.PRODUCTION));
        assertThat(production.baselineSource()).isEqualTo("production");
        assertThat(production.baselineVersion()).isEqualTo(2);

        backend.served = 3;
        GateDecision same = gate(3, auc);
        assertThat(same.accepted()).isFalse();
        assertThat(same.reason()).isEqualTo("version 3 is already served");
    }

    @Test
    void severalClassificationConditionsMustAllHoldAndOnlyTheFailingOnesAreTheReason() {
        backend.add(1, probabilities(0.70f), 100, Map.of());
        backend.production = 1;
        backend.add(2, probabilities(0.80f), 100, Map.of());
        DeployIfBetter.Config config = DeployIfBetter.Config.metric("roc_auc", "y").withMinImprovement(0.0)
                .and(Condition.of("log_loss").withMinAbsoluteChange(0.05))                     // better by 0.05: holds
                .and(Condition.of("accuracy").withThreshold(0.99).withMinAbsoluteChange(0.01))  // both perfect: fails
                .and(Condition.of("f1").withMinRelativeChange(-0.5));                          // tolerance: holds
        GateDecision d = gate(2, config);
        assertThat(d.conditions()).extracting(ConditionResult::name).containsExactly("roc_auc", "log_loss", "accuracy", "f1");
        assertThat(d.conditions()).extracting(ConditionResult::passed).containsExactly(true, true, false, true);
        assertThat(d.accepted()).isFalse();
        assertThat(d.reason()).isEqualTo("accuracy 1 beats production v1 (1) by 0, short of the required change 0.0100");
        ConditionResult logLoss = d.conditions().get(1);
        assertThat(logLoss.direction()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(logLoss.challenger()).isCloseTo(-Math.log(0.8), within(1e-6));
        assertThat(logLoss.baseline()).isCloseTo(-Math.log(0.7), within(1e-6));
    }

    @Test
    void relativeChangeLatencyAndSizeAreConditionsToo() {
        backend.add(1, predictions(LABELS, 0.2f), 1000, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.19f), 5000, Map.of());
        GateDecision relative = gate(2, DeployIfBetter.Config.metric("rmse", "y").withMinRelativeImprovement(0.10));
        assertThat(relative.accepted()).isFalse();
        assertThat(relative.reason()).contains("relative change +5.00% is short of the required +10.00%");

        GateDecision big = gate(2, DeployIfBetter.Config.metric("rmse", "y").withMaxModelBytes(4096).withMaxLatencyMillis(10_000));
        assertThat(big.accepted()).isFalse();
        assertThat(big.conditions()).extracting(ConditionResult::name).containsExactly("rmse", "latency_p95_ms", "model_size_bytes");
        ConditionResult latency = big.conditions().get(1);
        assertThat(latency.passed()).isTrue();
        assertThat(latency.source()).isEqualTo("measured");
        assertThat(latency.challenger()).isPositive();
        assertThat(big.reason()).isEqualTo("model_size_bytes 5000 > threshold 4096");
    }

    @Test
    void anyRecordedMetricCanBeAConditionWithItsDirectionFromTheNameOrStated() {
        backend.add(1, predictions(LABELS, 0.2f), 100, Map.of("val_accuracy", 0.80, "fairness_gap", 0.10));
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.2f), 100, Map.of("val_accuracy", 0.85, "fairness_gap", 0.20));
        GateDecision d = gate(2, DeployIfBetter.Config.metric("val_accuracy", null).withMinImprovement(0.01)
                .and(new Condition("fairness_gap", MetricDirection.LOWER_IS_BETTER, 0.15, null, null)));
        assertThat(d.conditions().getFirst().source()).isEqualTo("recorded in the registry");
        assertThat(d.conditions().getFirst().passed()).isTrue();
        assertThat(d.conditions().get(1).passed()).isFalse();
        assertThat(d.reason()).isEqualTo("fairness_gap 0.2000 > threshold 0.1500");

        assertThatThrownBy(() -> Condition.of("fairness_gap")).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("cannot tell whether a higher or a lower 'fairness_gap' is better");
        assertThatThrownBy(() -> gate(2, DeployIfBetter.Config.metric("val_accuracy", null).and(
                new Condition("calibration", MetricDirection.HIGHER_IS_BETTER, null, null, null))))
                .hasMessageContaining("has no such metric recorded in the registry");
    }

    @Test
    void aPluggedGateDecidesTooAndAnUnknownOneIsAClearError() {
        backend.add(1, predictions(LABELS, 0.2f), 100, Map.of());
        backend.production = 1;
        backend.add(2, predictions(LABELS, 0.1f), 300, Map.of());
        GateDecision d = gate(2, DeployIfBetter.Config.metric("rmse", "y").withGates("size_parity"));
        assertThat(d.accepted()).isFalse();
        assertThat(d.conditions().getLast()).satisfies(r -> {
            assertThat(r.name()).isEqualTo("size_parity");
            assertThat(r.passed()).isFalse();
            assertThat(r.reason()).isEqualTo("challenger is 3.0x the size of production v1");
        });
        assertThatThrownBy(() -> gate(2, DeployIfBetter.Config.metric("rmse", "y").withGates("nope")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("No deploy gate named 'nope'").hasMessageContaining("size_parity");
    }

    @Test
    void withNothingToCompareTheThresholdDecidesAndTheReasonSaysSo() {
        backend.add(1, predictions(LABELS, 0.1f), 100, Map.of());
        GateDecision d = gate(1, new DeployIfBetter.Config("rmse", "y", 0.5, 1));
        assertThat(d.accepted()).isTrue();
        assertThat(d.baselineSource()).isEqualTo("none");
        assertThat(d.reason()).contains("nothing serves model 'm' and no version is in production");
    }

    @Test
    void configsAreCheckedWhenMade() {
        assertThatThrownBy(() -> new DeployIfBetter.Config(null, "y", null, null, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("needs something to decide on");
        assertThatThrownBy(() -> DeployIfBetter.Config.metric("rmse", " ")).hasMessageContaining("labelColumn");
        assertThatThrownBy(() -> DeployIfBetter.Config.metric("rmse", "y").withDecisionThreshold(1.5)).hasMessageContaining("decisionThreshold");
        assertThatThrownBy(() -> new Condition("rmse", null, Double.POSITIVE_INFINITY, null, null)).hasMessageContaining("finite");
        assertThat(DeployIfBetter.Config.metric("accuracy", "label").allConditions().getFirst().direction())
                .isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void runParametersCanChangeTheMetricAndAddConditionsAsJson() throws Exception {
        // What `-p deploy_if_better.metric=accuracy` and `-p deploy_if_better.conditions='[...]'` do to the config's JSON tree.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(new DeployIfBetter.Config("rmse", "y", 0.5, 0.1));
        tree.put("metric", "accuracy");
        tree.put("threshold", 0.7);
        tree.set("conditions", json.readTree("[{\"metric\": \"f1\", \"minAbsoluteChange\": 0.01}]"));
        DeployIfBetter.Config config = json.treeToValue(tree, DeployIfBetter.Config.class);
        assertThat(config.allConditions()).extracting(Condition::metric).containsExactly("accuracy", "f1");
        assertThat(config.allConditions().getFirst().direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(config.allConditions().get(1).minAbsoluteChange()).isEqualTo(0.01);
        assertThat(config.compareWith()).isEqualTo(CompareWith.SERVED);
    }

    @Test
    void aCanaryOrShadowStrategyStartsARolloutBesideTheServedVersionAndRecordsItsId() {
        backend.add(1, predictions(LABELS, 0.5f), 100, Map.of());
        backend.add(2, predictions(LABELS, 0.1f), 100, Map.of());
        backend.served = 1;
        for (DeployStrategy how : List.of(DeployStrategy.canary(List.of(10, 50, 100), 30), DeployStrategy.shadow(120))) {
            backend.deployed.clear();
            ctx.metadata.clear();
            GateDecision d = gate(2, DeployIfBetter.Config.metric("rmse", "y").withStrategy(how));
            assertThat(d.accepted()).as(d.reason()).isTrue();
            assertThat(backend.deployed).as("no full swap, no promotion").containsExactly(how.kind().label() + " 2");
            assertThat(d.rolloutId()).isEqualTo("0000cafe-0000-0000-0000-000000000002");
            assertThat(d.serviceId()).isEqualTo("svc-1");
            assertThat(d.reason()).contains(how.kind().label() + " rollout 0000cafe started; production moves when it is promoted");
            assertThat(d.toString()).endsWith("(rollout 0000cafe)");
            assertThat(ctx.metadata).containsEntry("gate.rollout_id", d.rolloutId()).containsEntry("gate.strategy", how.kind().label());
            assertThat(ctx.logs).anyMatch(l -> l.contains("flywheel rollouts status 0000cafe"));
        }
    }

    @Test
    void withNothingServingACanaryFallsBackToReplaceAndSaysSo() {
        backend.add(2, predictions(LABELS, 0.1f), 100, Map.of());
        GateDecision d = gate(2, DeployIfBetter.Config.metric("rmse", "y").withStrategy(DeployStrategy.canary(List.of(50, 100), 0)));
        assertThat(d.accepted()).isTrue();
        assertThat(backend.deployed).containsExactly("promote 2");
        assertThat(d.rolloutId()).isNull();
        assertThat(d.reason()).contains("nothing serves 'm' to run a canary beside, so the version replaced it at once");
        assertThat(ctx.metadata).doesNotContainKey("gate.rollout_id").containsEntry("gate.strategy", "canary");
    }

    @Test
    void aRejectedChallengerStartsNoRollout() {
        backend.add(1, predictions(LABELS, 0.1f), 100, Map.of());
        backend.add(2, predictions(LABELS, 0.5f), 100, Map.of());
        backend.served = 1;
        GateDecision d = gate(2, DeployIfBetter.Config.metric("rmse", "y").withStrategy(DeployStrategy.canary(List.of(10, 100), 60)));
        assertThat(d.accepted()).isFalse();
        assertThat(backend.deployed).isEmpty();
        assertThat(d.rolloutId()).isNull();
    }

    @Test
    void strategiesAreCheckedWhenMadeAndReadFromRunParametersAsJson() throws Exception {
        DeployStrategy canary = DeployStrategy.canary(List.of(10, 50, 100), 30);
        assertThat(canary.analysisIntervalSeconds()).isEqualTo(60);
        assertThat(canary.maxErrorRate()).isEqualTo(0.01);
        assertThat(canary.minSamples()).isEqualTo(50);
        assertThat(canary.failureLimit()).isEqualTo(1);
        assertThat(DeployStrategy.shadow(600).describe()).isEqualTo("shadow for 600 s (analysis every 60 s)");
        assertThat(DeployIfBetter.Config.metric("rmse", "y").strategy().kind()).isEqualTo(DeployStrategy.Kind.REPLACE);
        Map<String, java.util.function.Supplier<DeployStrategy>> bad = new LinkedHashMap<>();
        bad.put("growing percentages", () -> DeployStrategy.canary(List.of(50, 10), 30));
        bad.put("growing percentages from 1 to 100", () -> DeployStrategy.canary(List.of(10, 150), 30));
        bad.put("needs steps", () -> DeployStrategy.canary(List.of(), 30));
        bad.put("stepSeconds cannot be negative", () -> DeployStrategy.canary(List.of(10), -1));
        bad.put("durationSeconds must be at least 1", () -> DeployStrategy.shadow(0));
        bad.put("under the floor of 10 s", () -> canary.withAnalysisIntervalSeconds(5));
        bad.put("maxErrorRate is a share from 0 to 1", () -> canary.withMaxErrorRate(5));
        bad.put("maxP99Millis must be positive", () -> canary.withMaxP99Millis(0));
        bad.put("maxPredictionDrift must be 0 or more", () -> canary.withMaxPredictionDrift(-1));
        bad.put("minSamples and failureLimit must be at least 1", () -> canary.withFailureLimit(0));
        bad.put("takes no steps or analysis", () -> new DeployStrategy(null, List.of(10), null, null, null, null, null, null, null, null));
        bad.put("durationSeconds is for a shadow", () -> new DeployStrategy(DeployStrategy.Kind.CANARY, null, null, 60, null, null, null, null, null, null));
        bad.put("steps and stepSeconds are for a canary", () -> new DeployStrategy(DeployStrategy.Kind.SHADOW, List.of(10), null, null, null, null, null, null, null, null));
        bad.forEach((message, make) -> assertThatThrownBy(make::get).as(message)
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message));

        // What `-p deploy_if_better.strategy='{"kind": "canary", ...}'` does to the config's JSON tree.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(DeployIfBetter.Config.metric("rmse", "y"));
        assertThat(tree.get("strategy").get("kind").asText()).isEqualTo("replace");
        tree.set("strategy", json.readTree("{\"kind\": \"Canary\", \"steps\": [25, 100], \"stepSeconds\": 10, \"maxP99Millis\": 40}"));
        DeployIfBetter.Config config = json.treeToValue(tree, DeployIfBetter.Config.class);
        assertThat(config.strategy()).isEqualTo(DeployStrategy.canary(List.of(25, 100), 10).withMaxP99Millis(40));
        assertThat(json.treeToValue(json.valueToTree(config), DeployIfBetter.Config.class)).isEqualTo(config);
        tree.set("strategy", json.readTree("{\"kind\": \"blue-green\"}"));
        assertThatThrownBy(() -> json.treeToValue(tree, DeployIfBetter.Config.class)).hasMessageContaining("not one of replace, canary, shadow");
    }

    GateDecision gate(int version, DeployIfBetter.Config config) {
        Model m = new Model("m", "fake", ("v" + version).getBytes(StandardCharsets.UTF_8), SIGNATURE, Map.of());
        backend.next = version;
        return new DeployIfBetter().gate(m, EVAL, config, ctx);
    }

    /** A regressor off by {@code error} on every row. */
    static float[] predictions(double[] labels, float error) {
        float[] out = new float[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) labels[i] + error;
        }
        return out;
    }

    /** A classifier giving the true class probability {@code p} on every row. */
    static float[] probabilities(float p) {
        float[] out = new float[LABELS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = LABELS[i] == 1 ? p : 1 - p;
        }
        return out;
    }

    static final ModelSignature SIGNATURE = ModelSignature.regression(List.of("x"));

    /** Answers row i (x = i + 1) with outputs[i]. */
    record Fixed(float[] outputs) implements LoadedModel {
        @Override
        public ModelSignature signature() {
            return SIGNATURE;
        }

        @Override
        public int outputWidth() {
            return 1;
        }

        @Override
        public Predictions predict(FeatureBatch batch) {
            float[] out = new float[batch.rows()];
            for (int r = 0; r < out.length; r++) {
                out[r] = outputs[(int) batch.values()[r] - 1];
            }
            return new Predictions(out.length, 1, out);
        }

        @Override
        public void close() {
        }
    }

    /** A plugged gate: the challenger's model file may be at most twice the baseline's. */
    public static final class SizeParity implements DeployGate {
        @Override
        public String name() {
            return "size_parity";
        }

        @Override
        public List<ConditionResult> evaluate(GateContext context) {
            double c = context.value(Condition.MODEL_SIZE, context.challenger());
            double b = context.baseline().map(s -> context.value(Condition.MODEL_SIZE, s)).orElse(c);
            String role = context.baseline().map(s -> s.role()).orElse("nothing");
            return List.of(ConditionResult.verdict(name(), c <= 2 * b, String.format(java.util.Locale.ROOT, "challenger is %.1fx the size of %s", c / b, role)));
        }
    }

    /** The port in memory: versions with given predictions, a production and a served version. */
    static final class Backend implements DeploymentBackend {
        final Map<Integer, Fixed> models = new HashMap<>();
        final Map<Integer, VersionInfo> infos = new HashMap<>();
        final List<String> deployed = new ArrayList<>();
        int production;
        int served;
        int next;

        void add(int version, float[] outputs, long bytes, Map<String, Double> metrics) {
            models.put(version, new Fixed(outputs));
            infos.put(version, new VersionInfo("m", version, bytes, metrics));
        }

        @Override
        public VersionInfo registered(Model model, StepContext ctx) {
            return infos.get(next);
        }

        @Override
        public Optional<VersionInfo> production(String model) {
            return Optional.ofNullable(infos.get(production));
        }

        @Override
        public Optional<Served> served(String model, StepContext ctx) {
            return Optional.ofNullable(infos.get(served)).map(v -> new Served(v, "svc-" + served));
        }

        @Override
        public LoadedModel open(String model, int version) {
            return models.get(version);
        }

        @Override
        public Release deployAndPromote(String model, int version, StepContext ctx, Duration timeout) {
            deployed.add("promote " + version);
            return new Release("svc-" + version, "http://127.0.0.1:1/v2/models/m/infer", List.of());
        }

        @Override
        public Optional<Release> startRollout(String model, int version, DeployStrategy strategy, StepContext ctx) {
            if (served == 0) {
                return Optional.empty();
            }
            deployed.add(strategy.kind().label() + " " + version);
            return Optional.of(new Release("svc-" + served, "http://127.0.0.1:1/v2/models/m/infer", List.of(), "0000cafe-0000-0000-0000-00000000000" + version));
        }

        @Override
        public Release deploy(String model, int version, StepContext ctx, Duration timeout) {
            deployed.add("fixed " + version);
            return new Release("svc-" + version, "http://127.0.0.1:1/v2/models/m/infer", List.of());
        }
    }

    static final class Context implements StepContext {
        final Backend backend;
        final List<String> logs = new ArrayList<>();
        final Map<String, Object> metadata = new LinkedHashMap<>();
        final List<Alert> alerts = new ArrayList<>();

        Context(Backend backend) {
            this.backend = backend;
        }

        @Override
        public String pipelineName() {
            return "p";
        }

        @Override
        public String runId() {
            return "run-1";
        }

        @Override
        public String stepName() {
            return "deploy_if_better";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public void log(String message) {
            logs.add(message);
        }

        @Override
        public void metadata(String key, Object value) {
            metadata.put(key, value);
        }

        @Override
        public <T> T component(Class<T> type) {
            if (type == Alerter.class) {
                return type.cast((Alerter) a -> {
                    alerts.add(a);
                    return AlertDelivery.delivered("kept by the test");
                });
            }
            return type.cast(backend);
        }
    }
}
