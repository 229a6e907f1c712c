package dev.flywheel.engine.artifact;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.materialize.Materializers;
import dev.flywheel.store.metadata.ArtifactRecord;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Turns step outputs into stored bytes and back, through the materializer chosen for each type. Thread-safe. */
public final class ArtifactIo {
    private final ArtifactStore store;
    private final Materializers materializers;

    public ArtifactIo(ArtifactStore store, Materializers materializers) {
        this.store = store;
        this.materializers = materializers;
    }

    /** The bytes of a value as written: where they are, and how to read them back. */
    public record Written(StoredBlob blob, String type, String materializer) {
    }

    public Written write(Object value) {
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) materializers.forType(value.getClass());
        StoredBlob blob = store.write(out -> m.write(value, out));
        return new Written(blob, value.getClass().getName(), m.format());
    }

    /** Reads an artifact back; {@code loader} must see the artifact's type (the pipeline's class loader). */
    public Object read(ArtifactRecord artifact, ClassLoader loader) {
        Class<?> type = type(artifact, loader);
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) materializers.forFormat(artifact.materializer());
        try (InputStream in = new BufferedInputStream(store.open(artifact.uri()), 64 * 1024)) {
            return m.read(in, type.asSubclass(m.type()));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read artifact " + artifact.id() + " (" + artifact.uri() + "): "
                    + e.getMessage(), e);
        }
    }

    public boolean exists(ArtifactRecord artifact) {
        return store.exists(artifact.uri());
    }

    public ArtifactStore store() {
        return store;
    }

    private static Class<?> type(ArtifactRecord artifact, ClassLoader loader) {
        String name = artifact.type();
        if (name.equals("[B")) {
            return byte[].class;
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "Artifact " + artifact.id() + " holds a " + name
                    + ", but that class is not on the classpath; run with the pipeline's classpath (--classpath)");
        }
    }
}
