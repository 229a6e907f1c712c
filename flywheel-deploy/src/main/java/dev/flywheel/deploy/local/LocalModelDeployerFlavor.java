package dev.flywheel.deploy.local;

import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.predictionlog.PredictionLogSettings;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.metadata.MetadataStore;

/** The embedded model deployer flavor {@code local}: supervised prediction-server processes on this machine. */
public final class LocalModelDeployerFlavor implements Flavor<LocalDeployerConfig, ModelDeployer> {

    @Override
    public ComponentKind kind() {
        return ComponentKind.MODEL_DEPLOYER;
    }

    @Override
    public String name() {
        return LocalModelDeployer.FLAVOR;
    }

    @Override
    public String description() {
        return "prediction servers as supervised daemon processes on this machine (state in .flywheel/services/)";
    }

    @Override
    public Class<LocalDeployerConfig> settingsType() {
        return LocalDeployerConfig.class;
    }

    @Override
    public ModelDeployer create(LocalDeployerConfig settings, FlavorContext context) {
        return new LocalModelDeployer(new ServiceStore(context.require(MetadataStore.class)), context.projectFolder().resolve("services"),
                () -> context.require(SecretsStore.class), settings.toSettings().withPredictionLogDir(PredictionLogSettings.inProject(context.projectFolder())), context.clock());
    }
}
