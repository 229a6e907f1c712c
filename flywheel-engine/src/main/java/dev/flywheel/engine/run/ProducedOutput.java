package dev.flywheel.engine.run;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.store.metadata.ArtifactRecord;

/**
 * A step output available to later steps of the same run: its record, and its value once known. Values made in
 * this run are handed on in memory; outputs reused from the cache are read from the artifact store on first use.
 */
public final class ProducedOutput {
    private final ArtifactRecord artifact;
    private volatile Object value;

    ProducedOutput(ArtifactRecord artifact, Object value) {
        this.artifact = artifact;
        this.value = value;
    }

    public ArtifactRecord artifact() {
        return artifact;
    }

    Object value(ArtifactIo io, ClassLoader loader) {
        Object v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = io.read(artifact, loader);
                    value = v;
                }
            }
        }
        return v;
    }
}
