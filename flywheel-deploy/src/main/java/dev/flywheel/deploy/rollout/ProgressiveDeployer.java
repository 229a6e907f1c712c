package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.DeploymentConfig;

import java.util.UUID;

/**
 * What a model deployer offers when its servers run rollouts themselves (the {@code local} flavor: the prediction
 * server routes, the service's supervisor runs the controller).
 */
public interface ProgressiveDeployer {
    /** Copies the challenger's files where the service's server reads them; the deployment it then serves. */
    DeploymentConfig prepareChallenger(UUID service, DeploymentConfig challenger);

    /** The service as a rollout drives it. */
    RolloutTarget target(UUID service);

    /** Hands the service's rollout to the service's own controller (it runs beside the server and outlives the caller). */
    void watch(UUID service);
}
