package dev.flywheel.deploy;

import dev.flywheel.cd.DeployStrategy;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.RolloutPlan;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutRequest;
import dev.flywheel.deploy.rollout.Rollouts;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The deployment steps' {@link DeploymentBackend} over the model registry and the stack's deployer ({@link Deployments}). */
public final class RegistryDeploymentBackend implements DeploymentBackend {
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final Supplier<Rollouts> rollouts;

    /** {@code rollouts} is asked only when a step starts a canary or shadow. */
    public RegistryDeploymentBackend(Deployments deployments, Supplier<Rollouts> rollouts) {
        this.deployments = deployments;
        this.registry = deployments.registry();
        this.rollouts = rollouts;
    }

    @Override
    public VersionInfo registered(Model model, StepContext ctx) {
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
        ModelVersion v = versions.stream().filter(x -> x.file().sha256().equals(sha)).findFirst()
                .orElseGet(() -> registry.register(model, ctx.runId(), ctx.stepName()));
        return info(v);
    }

    @Override
    public Optional<VersionInfo> production(String model) {
        try {
            return registry.production(model).map(RegistryDeploymentBackend::info);
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Served> served(String model, StepContext ctx) {
        List<Service> services = deployments.list(null, null, model, false).stream()
                .filter(s -> s.record().desiredState() == DesiredState.RUNNING).toList();
        Optional<Service> own = services.stream().filter(s -> Objects.equals(s.record().pipelineName(), ctx.pipelineName())
                && Objects.equals(s.record().stepName(), ctx.stepName())).findFirst();
        Optional<Service> chosen = own.isPresent() ? own : services.stream().filter(s -> s.record().config().followed()
                instanceof ModelRef.InStage st && st.stage() == Stage.PRODUCTION).findFirst();
        return chosen.filter(Service::isRunning).flatMap(s -> {
            try {
                return Optional.of(new Served(info(registry.get(model, s.record().modelVersion())), s.record().uuid().toString()));
            } catch (FlywheelException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    // It serves a version deleted from the registry (--force): nothing registered to compare with.
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public LoadedModel open(String model, int version) {
        return registry.open(registry.get(model, version));
    }

    @Override
    public Release deployAndPromote(String model, int version, StepContext ctx, Duration timeout) {
        Deployments.Release r = deployments.deployAndPromote(registry.get(model, version), ctx.pipelineName(), ctx.runId(), ctx.stepName(),
                "gate:" + ctx.pipelineName() + "/" + ctx.runId(), timeout);
        return new Release(r.service().record().uuid().toString(), r.service().predictionUrl(),
                r.rollout().changes().stream().map(Rollout.ServiceChange::describe).toList());
    }

    @Override
    public Optional<Release> startRollout(String model, int version, DeployStrategy strategy, StepContext ctx) {
        Optional<Served> served = served(model, ctx);
        if (served.isEmpty()) {
            return Optional.empty();
        }
        RolloutRecord r = rollouts.get().start(new RolloutRequest(ModelRef.version(model, version), plan(strategy), served.get().serviceId()));
        Service s = deployments.get(r.service().toString());
        return Optional.of(new Release(s.record().uuid().toString(), s.predictionUrl(), List.of(), r.id().toString()));
    }

    /** The pipeline's strategy as the rollout plan {@code models deploy --canary/--shadow} would make of the same numbers. */
    static RolloutPlan plan(DeployStrategy s) {
        AnalysisConfig analysis = new AnalysisConfig(Duration.ofSeconds(s.analysisIntervalSeconds()), s.failureLimit(), s.minSamples(),
                s.maxErrorRate(), s.maxP99Millis() == null ? null : Duration.ofNanos(Math.round(s.maxP99Millis() * 1_000_000)),
                s.maxPredictionDrift());
        return switch (s.kind()) {
            case CANARY -> RolloutPlan.canary(s.steps(), Duration.ofSeconds(s.stepSeconds()), analysis);
            case SHADOW -> RolloutPlan.shadow(Duration.ofSeconds(s.durationSeconds()), analysis);
            case REPLACE -> throw FlywheelException.invalid("the replace strategy deploys at once; it starts no rollout");
        };
    }

    @Override
    public Release deploy(String model, int version, StepContext ctx, Duration timeout) {
        Service s = deployments.deployFixed(registry.get(model, version), ctx.pipelineName(), ctx.runId(), ctx.stepName(), timeout);
        return new Release(s.record().uuid().toString(), s.predictionUrl(), List.of());
    }

    private static VersionInfo info(ModelVersion v) {
        return new VersionInfo(v.model(), v.version(), v.file().size(), v.metrics());
    }
}
