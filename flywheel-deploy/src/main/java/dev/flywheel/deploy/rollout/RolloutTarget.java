package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficReport;

/**
 * The service a rollout runs on, as the rollout needs it: its server's traffic ({@code /admin/traffic}) and its
 * deployment, which follows a promotion so that a restarted server serves the promoted version.
 */
public interface RolloutTarget {
    /** The server's routing and counters now. */
    TrafficReport report();

    /** One switch of the server's routing. */
    TrafficReport apply(TrafficCommand command);

    /** The service's deployment that a restart serves (its {@code config.json} and row): the version it names. */
    int deployedVersion();

    /** Makes {@code challenger} the service's deployment (what a restart serves, what the row says). */
    void deployed(DeploymentConfig challenger);
}
