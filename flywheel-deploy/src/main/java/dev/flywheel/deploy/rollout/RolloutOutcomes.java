package dev.flywheel.deploy.rollout;

/** What the registry learns of a rollout's end. Implementations are idempotent: a settled end may be told twice. */
public interface RolloutOutcomes {
    /** The challenger became the only version: the registry's production stage moves to it now, not before. */
    void promoted(RolloutRecord rollout);

    /** The challenger was rolled back: its version is marked with the reason. */
    void rolledBack(RolloutRecord rollout);
}
