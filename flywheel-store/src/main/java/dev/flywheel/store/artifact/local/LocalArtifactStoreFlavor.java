package dev.flywheel.store.artifact.local;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.store.artifact.ArtifactStore;

import java.nio.file.Path;

/** The embedded artifact store flavor {@code local}: content-addressed blobs in a folder. */
public final class LocalArtifactStoreFlavor implements Flavor<LocalArtifactStoreFlavor.Settings, ArtifactStore> {
    public static final String NAME = "local";

    /**
     * @param path  the folder, relative to the project folder unless absolute
     * @param fsync flush every artifact to disk before recording it
     */
    public record Settings(
            @Setting(description = "the folder of the blobs; relative to the project folder unless absolute", defaultValue = "artifacts") Path path,
            @Setting(description = "flush every artifact to disk before recording it (survives power loss; two flushes per artifact)",
                    defaultValue = "false") boolean fsync) {
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.ARTIFACT_STORE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "content-addressed files in a local folder, written to a temporary name and renamed";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public ArtifactStore create(Settings settings, FlavorContext context) {
        Path root = context.projectFolder().resolve(settings.path());
        return new LocalArtifactStore(root, settings.fsync() ? LocalArtifactStore.Durability.FSYNC : LocalArtifactStore.Durability.ATOMIC);
    }
}
