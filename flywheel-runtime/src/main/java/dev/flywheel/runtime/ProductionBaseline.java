package dev.flywheel.runtime;

import dev.flywheel.cd.DeployStrategy;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;
import java.util.Optional;

/**
 * What the deployment gate sees on a staging run judged against production ({@code flywheel run P --stack staging
 * --baseline-stack production}): the challenger is registered, served and promoted on the staging stack as usual, but
 * the baseline is the production stack's production version, read from production's own registry and artifact store
 * (only read: nothing is written there). Nothing on staging counts as "served", so {@code compareWith SERVED} falls
 * back to that production version, which is what a pull request must beat.
 */
final class ProductionBaseline implements DeploymentBackend {
    private final DeploymentBackend staging;
    private final ModelRegistry production;

    ProductionBaseline(DeploymentBackend staging, ModelRegistry production) {
        this.staging = staging;
        this.production = production;
    }

    @Override
    public VersionInfo registered(Model model, StepContext ctx) {
        return staging.registered(model, ctx);
    }

    @Override
    public Optional<VersionInfo> production(String model) {
        return productionVersion(model).map(v -> new VersionInfo(v.model(), v.version(), v.file().size(), v.metrics()));
    }

    private Optional<ModelVersion> productionVersion(String model) {
        try {
            return production.production(model);
        } catch (dev.flywheel.sdk.FlywheelException e) {
            if (e.code() == dev.flywheel.sdk.ErrorCode.NOT_FOUND) {
                return Optional.empty(); // the model was never registered in production: nothing to beat
            }
            throw e;
        }
    }

    @Override
    public Optional<Served> served(String model, StepContext ctx) {
        return Optional.empty();
    }

    /** The production version from production's stores; any other version from staging's. */
    @Override
    public LoadedModel open(String model, int version) {
        Optional<ModelVersion> p = productionVersion(model);
        if (p.isPresent() && p.get().version() == version) {
            return production.open(p.get());
        }
        return staging.open(model, version);
    }

    @Override
    public Release deployAndPromote(String model, int version, StepContext ctx, Duration timeout) {
        return staging.deployAndPromote(model, version, ctx, timeout);
    }

    @Override
    public Optional<Release> startRollout(String model, int version, DeployStrategy strategy, StepContext ctx) {
        return staging.startRollout(model, version, strategy, ctx);
    }

    @Override
    public Release deploy(String model, int version, StepContext ctx, Duration timeout) {
        return staging.deploy(model, version, ctx, timeout);
    }
}
