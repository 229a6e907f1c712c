package dev.flywheel.deploy.gate;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The deployment gate, a ready-made step: scores the newly trained model and the current production version on the
 * same evaluation data, and only if the new one meets the threshold and beats production by the margin, deploys it
 * through the stack's model deployer (replacing the server of this pipeline step without downtime) and then promotes
 * it to production. The decision and its numbers are the step's output, its metadata and its log.
 *
 * <pre>{@code
 * Pipeline.named("bike_demand")
 *     .step(Train.class)                                  // outputs "model" (a Model) and "test" (a Table)
 *     .step(DeployIfBetter.class, new DeployIfBetter.Config("rmse", "cnt", 120, 1.0))
 * }</pre>
 * Inputs: {@code model} (the new {@link Model}) and {@code evaluation} (a {@link Table} with the model's features and
 * the label column).
 */
public final class DeployIfBetter {
    private static final Set<String> METRICS = Set.of("rmse", "mae");

    /**
     * @param metric         {@code rmse} or {@code mae} (lower is better)
     * @param labelColumn    the evaluation data's label column
     * @param threshold      the new version's metric must be at most this
     * @param minImprovement and at least this much lower than production's
     * @param timeoutSeconds how long the deploy may take
     */
    public record Config(String metric, String labelColumn, double threshold, double minImprovement, int timeoutSeconds) {
        public Config {
            if (metric == null || !METRICS.contains(metric)) {
                throw FlywheelException.invalid("DeployIfBetter: metric must be one of " + METRICS + ", got '" + metric + "'");
            }
            if (labelColumn == null || labelColumn.isBlank()) {
                throw FlywheelException.invalid("DeployIfBetter: labelColumn must name the evaluation data's label column");
            }
            if (Double.isNaN(threshold) || Double.isNaN(minImprovement) || minImprovement < 0) {
                throw FlywheelException.invalid("DeployIfBetter: threshold must be a number and minImprovement >= 0, got "
                        + threshold + " and " + minImprovement);
            }
            if (timeoutSeconds <= 0) {
                timeoutSeconds = 120;
            }
        }

        public Config(String metric, String labelColumn, double threshold, double minImprovement) {
            this(metric, labelColumn, threshold, minImprovement, 120);
        }
    }

    @Step(output = "decision")
    public GateDecision gate(@Input("model") Model model, @Input("evaluation") Table evaluation, Config config, StepContext ctx) {
        ModelRegistry registry = ctx.component(ModelRegistry.class);
        ModelDeployer deployer = ctx.component(ModelDeployer.class);
        ModelVersion candidate = registeredVersion(registry, model, ctx);
        double candidateScore = score(registry, candidate, evaluation, config);
        Optional<ModelVersion> production = registry.production(model.name());
        int productionVersion = production.map(ModelVersion::version).orElse(0);
        double productionScore = production.map(p -> score(registry, p, evaluation, config)).orElse(Double.NaN);

        GateDecision decision = GateRule.decide(model.name(), config, candidate.version(), candidateScore, productionVersion, productionScore);
        if (decision.accepted()) {
            DeploymentConfig deployment = DeploymentConfig.adHoc(candidate.model(), candidate.version(), candidate.format(),
                    registry.modelFile(candidate), candidate.signature(), candidate.file().sha256())
                    .fromStep(ctx.pipelineName(), ctx.runId(), ctx.stepName());
            // Deploy first: a version is promoted only once it serves. A failed deploy fails the step; the old one serves on.
            Service service = deployer.deployModel(deployment, true, Duration.ofSeconds(config.timeoutSeconds()));
            registry.promote(candidate.model(), candidate.version(), Stage.PRODUCTION, "gate:" + ctx.pipelineName() + "/" + ctx.runId());
            decision = decision.deployed(service.record().uuid().toString(), service.predictionUrl());
        }
        ctx.log("deployment gate: %s", decision);
        ctx.metadata("gate.accepted", decision.accepted());
        ctx.metadata("gate.reason", decision.reason());
        ctx.metadata("gate.candidate_version", decision.candidateVersion());
        ctx.metadata("gate.candidate_" + config.metric(), decision.candidateValue());
        if (productionVersion > 0) {
            ctx.metadata("gate.production_version", productionVersion);
            ctx.metadata("gate.production_" + config.metric(), decision.productionValue());
        }
        if (decision.serviceId() != null) {
            ctx.metadata("gate.service", decision.serviceId());
            ctx.metadata("gate.prediction_url", decision.predictionUrl());
        }
        return decision;
    }

    /** The version the registry made of this model output: the one with the same file content. */
    private static ModelVersion registeredVersion(ModelRegistry registry, Model model, StepContext ctx) {
        String sha = ModelChecksum.of(model.content());
        List<ModelVersion> versions;
        try {
            versions = registry.versions(model.name());
        } catch (FlywheelException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            versions = List.of();
        }
        // Registered when the model step's output was stored; registering here covers a runtime without that hook.
        return versions.stream().filter(v -> v.file().sha256().equals(sha)).findFirst()
                .orElseGet(() -> registry.register(model, ctx.runId(), ctx.stepName()));
    }

    private static double score(ModelRegistry registry, ModelVersion version, Table data, Config config) {
        try (LoadedModel loaded = registry.open(version)) {
            return Evaluation.score(loaded, data, config.labelColumn(), config.metric(), "model '" + version.model() + "' version " + version.version());
        }
    }
}
