package dev.flywheel.kubernetes;

import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;

/**
 * The model deployer flavors that serve on a cluster. Cheap to discover: nothing of the Kubernetes client is loaded
 * until {@link #create} builds a deployer, so listing flavors or running the local stack costs nothing more.
 */
public abstract sealed class ClusterDeployerFlavor implements Flavor<KubernetesDeployerConfig, ModelDeployer>
        permits ClusterDeployerFlavor.KServe, ClusterDeployerFlavor.Seldon, ClusterDeployerFlavor.Kubernetes {

    @Override
    public ComponentKind kind() {
        return ComponentKind.MODEL_DEPLOYER;
    }

    @Override
    public Class<KubernetesDeployerConfig> settingsType() {
        return KubernetesDeployerConfig.class;
    }

    @Override
    public ModelDeployer create(KubernetesDeployerConfig settings, FlavorContext context) {
        return ClusterModelDeployer.create(name(), KubernetesClients.connect(settings.masterUrl(), settings.context(), settings.token(),
                        settings.namespace()), new ServiceStore(context.require(MetadataStore.class)), settings, artifactStore(context), context.clock());
    }

    /** The stack's artifact store, or null when the context has none (the cluster flavors then say what to set). */
    static ArtifactStore artifactStore(FlavorContext context) {
        try {
            return context.require(ArtifactStore.class);
        } catch (FlywheelException e) {
            return null;
        }
    }

    /** {@code kserve}: KServe InferenceServices. */
    public static final class KServe extends ClusterDeployerFlavor {
        @Override
        public String name() {
            return "kserve";
        }

        @Override
        public String description() {
            return "KServe InferenceServices (serving.kserve.io/v1beta1, Open Inference Protocol v2), canary by canaryTrafficPercent";
        }
    }

    /** {@code seldon}: Seldon Core 2 Models and Experiments. */
    public static final class Seldon extends ClusterDeployerFlavor {
        @Override
        public String name() {
            return "seldon";
        }

        @Override
        public String description() {
            return "Seldon Core 2 Models (mlops.seldon.io/v1alpha1), canary or mirror by an Experiment";
        }
    }

    /** {@code kubernetes}: the Flywheel prediction server as a Deployment and Service. */
    public static final class Kubernetes extends ClusterDeployerFlavor {
        @Override
        public String name() {
            return "kubernetes";
        }

        @Override
        public String description() {
            return "the Flywheel prediction server as a Kubernetes Deployment + Service (no KServe needed), rolling updates";
        }
    }
}
