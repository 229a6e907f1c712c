package dev.flywheel.registry;

import java.util.List;

/**
 * What one stage-changing transaction did: the version it moved and the stage changes it recorded, oldest first
 * (for a promotion to production, the archiving of the previous production version comes first). No changes means
 * the version was already in that stage.
 */
public record StageTransition(ModelVersion version, List<StageChange> changes) {
    public StageTransition {
        changes = List.copyOf(changes);
    }

    /** The versions this transaction took out of production. */
    public List<Integer> leftProduction() {
        return changes.stream().filter(c -> c.from() == Stage.PRODUCTION).map(StageChange::version).distinct().toList();
    }

    /** Whether production changed: a version entered or left it. */
    public boolean changedProduction() {
        return changes.stream().anyMatch(c -> c.from() == Stage.PRODUCTION || c.to() == Stage.PRODUCTION);
    }
}
