package dev.flywheel.store.artifact;

import java.net.URI;
import java.util.Map;

/**
 * Opens an artifact store from its root URI alone, where no project is at hand: a step runner in a Kubernetes pod or a
 * Spark driver reads and writes the run's artifacts in the store the step job names. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.flywheel.store.artifact.ArtifactStoreOpener}), so a
 * store module adds its scheme without the engine knowing it.
 */
public interface ArtifactStoreOpener {

    /** Whether this opener reads stores at URIs like {@code root} (its scheme). */
    boolean opens(URI root);

    /**
     * Opens the store. What the URI does not say (an endpoint, credentials) comes from {@code environment}, the
     * process's variables, which a Job sets from Kubernetes Secrets.
     */
    ArtifactStore open(URI root, Map<String, String> environment);
}
