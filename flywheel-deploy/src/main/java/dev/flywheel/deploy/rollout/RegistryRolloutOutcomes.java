package dev.flywheel.deploy.rollout;

import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rollout's end, told to the registry: a promotion moves the production stage to the challenger (only then); a
 * rollback tags the challenger's version {@code rollout} with the state and reason.
 */
public final class RegistryRolloutOutcomes implements RolloutOutcomes {
    /** The version tag a rollback writes. */
    public static final String TAG = "rollout";
    private static final Logger log = LoggerFactory.getLogger(RegistryRolloutOutcomes.class);
    private static final int MAX_REASON = 500;
    private final ModelRegistry registry;

    public RegistryRolloutOutcomes(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void promoted(RolloutRecord r) {
        try {
            registry.promote(r.modelName(), r.challengerVersion(), Stage.PRODUCTION, "rollout " + r.shortId());
        } catch (FlywheelException e) {
            // The server serves the challenger whatever the registry says; a refused stage move is for a human to settle.
            log.error("rollout={} promoted version={} but the registry refused production: {}", r.shortId(), r.challengerVersion(), e.getMessage());
        }
    }

    @Override
    public void rolledBack(RolloutRecord r) {
        String reason = r.state().label() + " by rollout " + r.shortId() + ": " + (r.reason() == null ? "" : r.reason());
        try {
            registry.setVersionTag(r.modelName(), r.challengerVersion(), TAG, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        } catch (FlywheelException e) {
            log.error("rollout={} rolled back version={} but could not tag it: {}", r.shortId(), r.challengerVersion(), e.getMessage());
        }
    }
}
