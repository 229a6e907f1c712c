package dev.flywheel.engine.stack;

import dev.flywheel.sdk.FlywheelException;

import java.util.List;

/** The embedded flavors every project has: in-process orchestrator, local artifact folder, SQLite metadata store. */
public final class BuiltInFlavors {
    private BuiltInFlavors() {
    }

    /** @param maxParallelism steps of one run at the same time; null = one per core (at least 2) */
    public record LocalOrchestratorSettings(Integer maxParallelism) {
        public LocalOrchestratorSettings {
            if (maxParallelism != null && maxParallelism < 1) {
                throw FlywheelException.invalid("maxParallelism must be at least 1, got " + maxParallelism);
            }
        }
    }

    /** @param fsync flush every artifact to disk before recording it; null = no */
    public record LocalArtifactStoreSettings(Boolean fsync) {
    }

    /** The project's own SQLite file; nothing to set. */
    public record SqliteSettings() {
    }

    public static List<Flavor<?>> all() {
        return List.of(new Flavor<>(ComponentKind.ORCHESTRATOR, "local", LocalOrchestratorSettings.class),
                new Flavor<>(ComponentKind.ARTIFACT_STORE, "local", LocalArtifactStoreSettings.class),
                new Flavor<>(ComponentKind.METADATA_STORE, "sqlite", SqliteSettings.class));
    }
}
