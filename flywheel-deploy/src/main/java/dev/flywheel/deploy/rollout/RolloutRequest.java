package dev.flywheel.deploy.rollout;

import java.util.Objects;

/**
 * {@code flywheel models deploy NAME VERSION --canary ... | --shadow ...}: the challenger and its plan.
 *
 * @param model   the registered model
 * @param version the challenger's version
 * @param plan    strategy, steps, analysis
 * @param service the service to run it on (id, prefix or name), or null for the one running service of the model
 */
public record RolloutRequest(String model, int version, RolloutPlan plan, String service) {
    public RolloutRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(plan, "plan");
    }
}
