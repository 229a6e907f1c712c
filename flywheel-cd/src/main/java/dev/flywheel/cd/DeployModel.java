package dev.flywheel.cd;

import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.model.Model;

import java.time.Duration;

/**
 * The plain deployer step (as ZenML's deployer steps): deploys the model it receives, without a gate. By default
 * the new version is served by this step's server (a hot swap while it answers), promoted to production, and
 * production rolled out to every other server that follows it; with {@code promote = false} the step's server serves
 * the version fixed and the registry's stages stay as they are.
 *
 * <pre>{@code .step(DeployModel.class, new DeployModel.Config(true, 120)) }</pre>
 */
public final class DeployModel {

    /**
     * @param promote        promote the version to production and roll it out (default true)
     * @param timeoutSeconds how long the deploy may take (default 120)
     */
    public record Config(Boolean promote, Integer timeoutSeconds) {
        public Config {
            if (promote == null) {
                promote = true;
            }
            if (timeoutSeconds == null || timeoutSeconds <= 0) {
                timeoutSeconds = 120;
            }
        }

        public static Config defaults() {
            return new Config(true, 120);
        }
    }

    @Step(output = "deployment")
    public Deployment deploy(@Input("model") Model model, Config config, StepContext ctx) {
        DeploymentBackend backend = ctx.component(DeploymentBackend.class);
        int version = backend.registered(model, ctx).version();
        Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
        DeploymentBackend.Release release = config.promote()
                ? backend.deployAndPromote(model.name(), version, ctx, timeout)
                : backend.deploy(model.name(), version, ctx, timeout);
        Deployment d = new Deployment(model.name(), version, config.promote(), release.serviceId(), release.predictionUrl(), release.rollout());
        ctx.log("deployed %s v%d on service %s (%s)%s", d.model(), d.version(), d.serviceId(), d.predictionUrl(),
                d.promoted() ? ", promoted to production" : "");
        d.rollout().forEach(line -> ctx.log("  rolled out: %s", line));
        ctx.metadata("deploy.version", version);
        ctx.metadata("deploy.service", d.serviceId());
        ctx.metadata("deploy.prediction_url", d.predictionUrl());
        ctx.metadata("deploy.promoted", d.promoted());
        return d;
    }
}
