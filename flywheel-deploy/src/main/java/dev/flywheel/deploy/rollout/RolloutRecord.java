package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.DeploymentConfig;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A rollout as stored (table {@code rollouts}): a challenger served beside a service's champion by a plan, where it
 * is now, and every decision taken (table {@code rollout_decisions}).
 *
 * @param id              the rollout's id
 * @param service         the service whose server serves both versions
 * @param championVersion the version served when the rollout started
 * @param challenger      the challenger's deployment (its copy in the service's folder)
 * @param stepIndex       the current step
 * @param failures        failed analyses so far
 * @param reason          why it is paused or ended, or null
 * @param stepStartedAt   when the current step began (its pause counts from here)
 * @param revision        bumped by every change; changes compare and set it, so two deciders never both win
 */
public record RolloutRecord(UUID id, UUID service, String modelName, int championVersion, DeploymentConfig challenger, RolloutPlan plan,
                            RolloutState state, int stepIndex, int failures, String reason, Instant stepStartedAt, Instant createdAt,
                            Instant updatedAt, int revision, List<StepDecision> decisions) {
    public RolloutRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        decisions = List.copyOf(decisions);
    }

    public int challengerVersion() {
        return challenger.modelVersion();
    }

    /** The challenger's weight now: the current step's while active, 100 once promoted, 0 once rolled back. */
    public int weight() {
        return switch (state) {
            case PROGRESSING, PAUSED -> plan.step(stepIndex).weight();
            case PROMOTED -> 100;
            case ABORTED, FAILED -> 0;
        };
    }

    public String shortId() {
        return id.toString().substring(0, 8);
    }

    RolloutRecord next(RolloutState newState, int newStep, int newFailures, String newReason, Instant stepStart, Instant now) {
        return new RolloutRecord(id, service, modelName, championVersion, challenger, plan, newState, newStep, newFailures, newReason,
                stepStart, createdAt, now, revision + 1, decisions);
    }
}
