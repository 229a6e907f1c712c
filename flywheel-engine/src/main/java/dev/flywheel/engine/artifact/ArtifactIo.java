package dev.flywheel.engine.artifact;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.materialize.Materializers;
import dev.flywheel.store.metadata.ArtifactRecord;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Turns step outputs into stored bytes and back. Writing picks the materializer by the output's stored type (the
 * declared type for containers such as {@code List<Double>}, else the value's class); reading picks it by the
 * artifact's recorded format <em>and</em> type, after checking the bytes against the recorded sha256, so a damaged
 * blob never reaches a materializer. Every read failure names the artifact. Thread-safe.
 */
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

    /**
     * Writes a step output declared as {@code declared}.
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} when no materializer stores the value's type
     */
    public Written write(Object value, ValueType declared) {
        ValueType stored = declared instanceof ValueType.Container ? declared : new ValueType.Plain(value.getClass());
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) materializers.forValueType(stored);
        StoredBlob blob = store.write(out -> m.write(value, out));
        return new Written(blob, stored.name(), m.format());
    }

    /**
     * Checks, before a run starts, that an output declared as {@code declared} can be stored: containers need a
     * materializer for their element type. Plain types are checked when written (the value's class decides).
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} naming the type without a materializer
     */
    public void requireWritable(ValueType declared) {
        if (declared instanceof ValueType.Container) {
            materializers.forValueType(declared);
        }
    }

    /**
     * Reads an artifact back; {@code loader} must see the artifact's type (the pipeline's class loader).
     *
     * @throws FlywheelException naming the artifact: {@code CORRUPT} when its bytes do not hash to the recorded sha256
     *                           (both hashes named), {@code NOT_FOUND} when its blob or its type's class is missing,
     *                           {@code INVALID_ARGUMENT} when no materializer reads it as its type
     */
    public Object read(ArtifactRecord artifact, ClassLoader loader) {
        String what = describe(artifact);
        try {
            ValueType type = ValueType.parse(artifact.type(), loader);
            @SuppressWarnings("unchecked")
            Materializer<Object> m = (Materializer<Object>) materializers.forArtifact(artifact.materializer(), type);
            store.requireIntact(artifact.uri(), artifact.sha256(), what);
            Object value;
            try (InputStream in = new BufferedInputStream(store.open(artifact.uri()), 64 * 1024)) {
                value = m.read(in, type.raw().asSubclass(m.type()));
            }
            if (value == null || !type.raw().isInstance(value)) {
                throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "its materializer (" + artifact.materializer() + ") read "
                        + (value == null ? "null" : "a " + value.getClass().getName()) + ", not a " + type.display());
            }
            return value;
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.CORRUPT && e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new FlywheelException(e.code(), "Cannot read " + what + ": " + e.getMessage()
                    + (e.code() == ErrorCode.NOT_FOUND && e.getMessage().startsWith("artifact ") ? NO_CACHE_HINT : ""), e);
        } catch (IOException | RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Cannot read " + what + " as " + artifact.type() + " with"
                    + " materializer '" + artifact.materializer() + "': " + e, e);
        }
    }

    private static final String NO_CACHE_HINT = ". Run its pipeline again without the cache (flywheel run PIPELINE"
            + " --no-cache) to produce it again";

    /** How messages name an artifact: its id and where it came from. */
    public static String describe(ArtifactRecord artifact) {
        return "artifact " + artifact.id() + " (" + artifact.stepName() + "." + artifact.outputName() + " of run "
                + artifact.runId() + ")";
    }

    /** Whether the artifact's blob is there and as long as when it was written (a cheap check, no hashing). */
    public boolean present(ArtifactRecord artifact) {
        try {
            return store.size(artifact.uri()) == artifact.size();
        } catch (FlywheelException notOfThisStore) {
            return false;
        }
    }

    /** Where the artifact's bytes are now: its recorded location resolved against the store's root. */
    public URI locate(ArtifactRecord artifact) {
        return store.locate(artifact.uri());
    }

    public ArtifactStore store() {
        return store;
    }
}
