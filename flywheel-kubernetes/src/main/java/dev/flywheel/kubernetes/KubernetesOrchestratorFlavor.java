package dev.flywheel.kubernetes;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.engine.local.LocalOrchestrator;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;

/** The orchestrator flavor {@code kubernetes}: every step of a run is a Kubernetes Job in the Flywheel image. */
public final class KubernetesOrchestratorFlavor implements Flavor<KubernetesJobConfig, Orchestrator> {

    @Override
    public ComponentKind kind() {
        return ComponentKind.ORCHESTRATOR;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "runs every step as a Kubernetes Job (in dependency order; the run follows the Jobs, their logs are fetched)";
    }

    @Override
    public Class<KubernetesJobConfig> settingsType() {
        return KubernetesJobConfig.class;
    }

    @Override
    public Orchestrator create(KubernetesJobConfig settings, FlavorContext context) {
        KubernetesJobOperator jobs = new KubernetesJobOperator(KubernetesClients.connect(settings.masterUrl(), settings.context(),
                settings.token(), settings.namespace()), settings, context.clock(), KubernetesJobOperator.Role.ORCHESTRATOR,
                ClusterDeployerFlavor.artifactStore(context));
        return new KubernetesOrchestrator(new LocalOrchestrator(context.require(RunRecorder.class), context.require(StepRunner.class),
                settings.maxParallelism(), context.clock(), context.require(StepComponents.class), jobs), jobs);
    }
}
