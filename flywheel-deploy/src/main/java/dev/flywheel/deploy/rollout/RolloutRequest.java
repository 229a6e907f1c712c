package dev.flywheel.deploy.rollout;

import dev.flywheel.registry.ModelRef;

import java.util.Objects;

/**
 * {@code flywheel models deploy NAME VERSION --canary ... | --shadow ...}: the challenger and its plan.
 *
 * @param challenger the challenger: a version, an alias or a stage of the registered model
 * @param plan    strategy, steps, analysis
 * @param service the service to run it on (id, prefix or name), or null for the one running service of the model
 */
public record RolloutRequest(ModelRef challenger, RolloutPlan plan, String service) {
    public RolloutRequest {
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(plan, "plan");
    }
}
