package dev.flywheel.deploy;

import dev.flywheel.deploy.service.Service;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Deployments of registered model versions through a stack's {@link ModelDeployer}: what {@code flywheel models deploy}
 * and {@code flywheel served-models} call. Thread-safe.
 *
 * <pre>{@code
 * Service s = flywheel.deployments().deploy(ModelRef.parse("bike", "@champion"), true, 0, Duration.ofSeconds(60));
 * s.predictionUrl();   // http://127.0.0.1:41234/v2/models/bike/infer
 * }</pre>
 */
public final class Deployments {
    private final ModelRegistry registry;
    private final ModelDeployer deployer;

    public Deployments(ModelRegistry registry, ModelDeployer deployer) {
        this.registry = registry;
        this.deployer = deployer;
    }

    public ModelDeployer deployer() {
        return deployer;
    }

    /** Deploys a registered version outside any pipeline; with {@code replace}, updates the ad-hoc server of that model. */
    public Service deploy(ModelRef ref, boolean replace, int port, Duration timeout) {
        ModelVersion version = registry.get(ref);
        return deployer.deployModel(config(version).withPort(port), replace, timeout);
    }

    /** The deployment of a registered version, as a pipeline step or the CLI hands it to a deployer. */
    public DeploymentConfig config(ModelVersion version) {
        return DeploymentConfig.adHoc(version.model(), version.version(), version.format(), registry.modelFile(version), version.signature(),
                version.file().sha256());
    }

    /** The matching services with their status observed now (see {@link ModelDeployer#findModelServer}). */
    public List<Service> list(String pipeline, String step, String model, boolean running) {
        return deployer.findModelServer(pipeline, step, model, running);
    }

    public Service get(String uuidOrPrefix) {
        return deployer.get(uuidOrPrefix);
    }

    public void delete(UUID uuid, Duration timeout, boolean force) {
        deployer.deleteService(uuid, timeout, force);
    }
}
