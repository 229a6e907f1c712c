package dev.flywheel.runtime;

import dev.flywheel.deploy.DeployRequest;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.List;

/**
 * Promotion across stacks ({@code flywheel models promote NAME VERSION --from-stack staging --to-stack production}):
 * the version, its files and lineage are copied from the source stack's stores into the target's
 * ({@link ModelRegistry#receive}, each blob checked by sha256), then promoted to production there and rolled out to the
 * target's servers that follow production; with {@code deploy}, a server is started on the target stack when none
 * serves the model yet. The target never reads the source's stores afterwards.
 */
public final class StackPromotion {
    private StackPromotion() {
    }

    /**
     * @param copied      whether the version was copied now (false: the target had it already, with the same file)
     * @param service     the target's service that serves the model after the promotion, or null
     * @param rollout     one line per target service the production change reached
     */
    public record Result(String model, int version, String fromStack, String toStack, boolean copied, String stage, String service,
                         String predictionUrl, List<String> rollout) {
        public Result {
            rollout = List.copyOf(rollout);
        }
    }

    static Result promote(Flywheel from, Flywheel to, String model, String versionRef, boolean deploy, String actor, Duration timeout) {
        if (from.stack().name().equals(to.stack().name())) {
            throw FlywheelException.invalid("--from-stack and --to-stack both name '" + from.stack().name() + "'; to change a stage on one"
                    + " stack use: flywheel models promote " + model + " VERSION --stage production");
        }
        ModelVersion source = from.models().get(ModelRef.parse(model, versionRef));
        ModelRegistry.Received received = to.models().receive(source, from.models(), from.stack().name());
        Deployments.Change change = to.deployments().promote(model, source.version(), Stage.PRODUCTION, actor, true, timeout);
        List<String> lines = change.rollout().map(r -> r.changes().stream()
                .map(c -> c.label() + ": " + c.outcome() + " v" + c.from() + " -> v" + c.to() + (c.detail() == null ? "" : " (" + c.detail() + ")")).toList()).orElse(List.of());
        Service serving = to.deployments().list(null, null, model, false).stream()
                .filter(s -> s.record().desiredState() == DesiredState.RUNNING).findFirst().orElse(null);
        if (deploy && serving == null) {
            serving = to.deployments().deploy(DeployRequest.of(ModelRef.parse(model, "production"), timeout));
        }
        return new Result(model, source.version(), from.stack().name(), to.stack().name(), received.created(),
                change.transition().version().stage().label(), serving == null ? null : serving.record().uuid().toString(),
                serving == null ? null : serving.predictionUrl(), lines);
    }
}
