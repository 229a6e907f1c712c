package dev.flywheel.runtime;

import dev.flywheel.deploy.rollout.RolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutProject;
import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;

/**
 * How a local service's supervisor opens its project to drive a rollout (found with ServiceLoader; not for users): a
 * {@link Flywheel} handle on the project as configured, so a PostgreSQL project's rollouts are driven in PostgreSQL
 * and a rollback reaches the active stack's alerter like any other alert.
 */
public final class SupervisorProject implements RolloutProject.Opener {
    @Override
    public RolloutProject open(Path home) {
        Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
        });
        return new Opened(flywheel);
    }

    private record Opened(Flywheel flywheel) implements RolloutProject {
        @Override
        public MetadataStore metadata() {
            return flywheel.metadata();
        }

        @Override
        public RolloutOutcomes outcomes() {
            return flywheel.rolloutOutcomes();
        }

        @Override
        public void close() {
            flywheel.close();
        }
    }
}
