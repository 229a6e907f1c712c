package dev.flywheel.deploy.rollout;

import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;

/**
 * What a service's supervisor opens of its project to drive the service's rollout: the metadata store the project is
 * configured with (SQLite or PostgreSQL, the active stack's own when it has one) and where a rollout's end is told
 * (the registry, and the stack's alerter). Closed when the supervisor stops.
 */
public interface RolloutProject extends AutoCloseable {
    /** The store holding the services and their rollouts. */
    MetadataStore metadata();

    /** Told when a rollout is promoted or rolled back. */
    RolloutOutcomes outcomes();

    @Override
    void close();

    /**
     * Opens a project by its home folder ({@code .flywheel}). Found with ServiceLoader on the supervisor's class path:
     * the runtime provides one, as only it reads the project's configuration (stores, secrets, stacks, alerter).
     * Called on the supervisor's rollout thread; may throw, and is called again on the next pass.
     */
    interface Opener {
        RolloutProject open(Path home);
    }
}
