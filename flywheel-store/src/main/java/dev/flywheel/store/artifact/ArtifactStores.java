package dev.flywheel.store.artifact;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.local.LocalArtifactStore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/** The artifact store at a root URI: a folder ({@code file:}), or whatever scheme an {@link ArtifactStoreOpener} on the class path opens. */
public final class ArtifactStores {
    private ArtifactStores() {
    }

    public static ArtifactStore open(URI root, ClassLoader loader, Map<String, String> environment) {
        if (root.getScheme() == null || "file".equalsIgnoreCase(root.getScheme())) {
            return new LocalArtifactStore(root.getScheme() == null ? Path.of(root.toString()) : Path.of(root));
        }
        for (ArtifactStoreOpener opener : ServiceLoader.load(ArtifactStoreOpener.class, loader)) {
            if (opener.opens(root)) {
                return opener.open(root, environment);
            }
        }
        throw FlywheelException.invalid("no artifact store module on this class path opens " + root.getScheme() + "://"
                + " stores (" + root + "); put the module that does (flywheel-s3 for s3://) on the step runner's class path");
    }
}
