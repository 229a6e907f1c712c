package dev.flywheel.deploy;

import dev.flywheel.deploy.service.Service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A stack component that deploys model versions as long-lived {@link Service}s and finds, updates and deletes them.
 * The {@code local} flavor runs each service as a supervised daemon process on this machine.
 *
 * <p>Guarantees every flavor keeps: a failed deploy leaves whatever served before still serving (and throws
 * {@code FlywheelException} with {@code DEPLOY_FAILED}); a replace never drops a request. Thread-safe.
 */
public interface ModelDeployer {

    /** The flavor name this deployer implements ({@code local}). */
    String flavor();

    /**
     * Deploys {@code config} where {@code placement} says. A service that answers switches to the new version without a
     * failed request (hot swap). Returns once the service answers predictions with the new version (or, for a stopped
     * service re-pointed without starting, once it is re-pointed), or throws after {@code timeout}.
     */
    Service deployModel(DeploymentConfig config, Placement placement, Duration timeout);

    /**
     * Deploys {@code config}. With {@code replace}, the service already serving the same (pipeline, step, model)
     * switches to the new version without a failed request; without it, or when there is none, a new service starts.
     */
    default Service deployModel(DeploymentConfig config, boolean replace, Duration timeout) {
        return deployModel(config, replace ? new Placement.StepService() : new Placement.NewService(null), timeout);
    }

    /**
     * Runs {@code action} while no other deploy of this deployer runs, in this process or another; re-entrant, so the
     * action may deploy. A gate that swaps, promotes and rolls out holds it so a concurrent roll-out cannot interleave.
     */
    <T> T exclusively(Supplier<T> action);

    /**
     * The services of a (pipeline, step, model), newest first, each with its status observed now (in
     * {@code record().status()}); a null argument matches any value, and with {@code running} only services that answer
     * now are returned.
     */
    List<Service> findModelServer(String pipelineName, String stepName, String modelName, boolean running);

    /**
     * What {@link #deployModel} would apply, without applying it: the manifests of a cluster flavor as YAML documents
     * ({@code flywheel models deploy ... --render}). Reads the current state to decide between a new service and a
     * replace, and writes nothing.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code INVALID_ARGUMENT} for flavors that apply no manifests ({@code local})
     */
    default String render(DeploymentConfig config, Placement placement) {
        throw dev.flywheel.sdk.FlywheelException.invalid("The '" + flavor() + "' model deployer starts processes on this machine and applies no "
                + "manifests, so there is nothing to render; --render works with the kserve, seldon and kubernetes deployers "
                + "(flywheel model-deployer register NAME --flavor kserve)");
    }

    /**
     * Moves the canary a replace started on {@code service}: {@code percent} of traffic to the new version, 100 promotes
     * it (the canary ends), 0 rolls it back (the previous version serves everything again). Flywheel's analysis decides
     * when; the serving system only splits.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code INVALID_ARGUMENT} for flavors without traffic splitting
     *         ({@code local}, {@code kubernetes}); {@code CONFLICT} when the service runs no canary
     */
    default Service traffic(String service, int percent, Duration timeout) {
        throw dev.flywheel.sdk.FlywheelException.invalid("The '" + flavor() + "' model deployer serves one version per service and cannot "
                + "split traffic; canaries need the kserve or seldon deployer with canaryTrafficPercent set");
    }

    /** One service by its full UUID or a unique prefix of it. */
    Service get(String uuidOrPrefix);

    /** Stops the service (forcibly with {@code force}) and removes its record and its folder. */
    void deleteService(UUID uuid, Duration timeout, boolean force);
}
