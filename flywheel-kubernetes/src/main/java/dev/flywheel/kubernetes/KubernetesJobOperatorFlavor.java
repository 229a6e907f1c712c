package dev.flywheel.kubernetes;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;


/** The step operator flavor {@code kubernetes}: chosen steps run as Kubernetes Jobs in the Flywheel image. */
public final class KubernetesJobOperatorFlavor implements Flavor<KubernetesJobConfig, StepOperator> {

    @Override
    public ComponentKind kind() {
        return ComponentKind.STEP_OPERATOR;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "runs a step as a Kubernetes Job in the Flywheel image; its status follows the Job, its log is fetched";
    }

    @Override
    public Class<KubernetesJobConfig> settingsType() {
        return KubernetesJobConfig.class;
    }

    @Override
    public StepOperator create(KubernetesJobConfig settings, FlavorContext context) {
        return new KubernetesJobOperator(KubernetesClients.connect(settings.masterUrl(), settings.context(), settings.token(),
                settings.namespace()), settings, context.clock(), KubernetesJobOperator.Role.STEP_OPERATOR, ClusterDeployerFlavor.artifactStore(context));
    }
}
