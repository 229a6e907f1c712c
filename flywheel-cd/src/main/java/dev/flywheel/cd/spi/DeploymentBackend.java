package dev.flywheel.cd.spi;

import dev.flywheel.cd.DeployStrategy;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack side of the ready-made deployment steps: the model registry and the model deployer, as the steps see
 * them. The runtime provides it as a step component ({@code ctx.component(DeploymentBackend.class)}); pipelines never
 * implement it, and never link the deployer.
 */
public interface DeploymentBackend {

    /** A registered version as the steps need it. */
    record VersionInfo(String model, int version, long fileBytes, Map<String, Double> metrics) {
        public VersionInfo {
            metrics = Map.copyOf(metrics);
        }
    }

    /** What serves a model: the version and the service. */
    record Served(VersionInfo version, String serviceId) {
    }

    /**
     * What a deploy did: the service that serves the version, one line per other service it rolled out to, and the id
     * of the canary or shadow rollout it started (null for a plain deploy).
     */
    record Release(String serviceId, String predictionUrl, List<String> rollout, String rolloutId) {
        public Release {
            rollout = List.copyOf(rollout);
        }

        public Release(String serviceId, String predictionUrl, List<String> rollout) {
            this(serviceId, predictionUrl, rollout, null);
        }
    }

    /** The registered version of a model a step returned (registered now when the runtime has not yet). */
    VersionInfo registered(Model model, StepContext ctx);

    /** The registry's production version of {@code model}, if any. */
    Optional<VersionInfo> production(String model);

    /**
     * The version that serves {@code model} for this step: its own service when it runs, else a running service that
     * follows production; empty when none answers.
     */
    Optional<Served> served(String model, StepContext ctx);

    /** Loads a version (its file's sha256 checked first). The caller closes it. */
    LoadedModel open(String model, int version);

    /**
     * Serves {@code version} on the step's service (hot swap while it answers), promotes it to production, and rolls
     * production out to the other services that follow it. A deploy that fails throws and changes nothing else.
     */
    Release deployAndPromote(String model, int version, StepContext ctx, Duration timeout);

    /**
     * Starts a canary or shadow rollout of {@code version} beside the version that serves {@code model} for this step
     * (as {@link #served}), through the same facade as {@code flywheel models deploy --canary/--shadow}; the service's
     * supervisor drives it on and the registry's production stage moves only when it is promoted.
     *
     * @return the release with its rollout id, or empty when nothing serves the model (a rollout needs a champion)
     * @throws dev.flywheel.sdk.FlywheelException when the rollout cannot start (the served version keeps serving alone)
     */
    Optional<Release> startRollout(String model, int version, DeployStrategy strategy, StepContext ctx);

    /** Serves {@code version} on the step's service, fixed, without touching the registry's stages. */
    Release deploy(String model, int version, StepContext ctx, Duration timeout);
}
