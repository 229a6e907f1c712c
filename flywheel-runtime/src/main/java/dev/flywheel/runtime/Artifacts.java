package dev.flywheel.runtime;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/** Artifacts: list, describe with lineage, load a value back. */
public final class Artifacts {
    private final ArtifactRecords records;
    private final Supplier<ArtifactIo> io;
    private final ClassLoader loader;

    Artifacts(MetadataStore store, Supplier<ArtifactIo> io, ClassLoader loader) {
        this.records = new ArtifactRecords(store);
        this.io = io;
        this.loader = loader;
    }

    public List<ArtifactRecord> list(String runIdOrNull, int limit) {
        return records.list(runIdOrNull, limit);
    }

    public ArtifactRecord get(String idOrPrefix) {
        return records.get(idOrPrefix);
    }

    /** The artifact, every step run that produced or consumed it, and where its bytes are now. */
    public ArtifactDescription describe(String idOrPrefix) {
        ArtifactRecord a = records.get(idOrPrefix);
        return new ArtifactDescription(a, records.linksOfArtifact(a.id()), io.get().present(a), io.get().locate(a));
    }

    /**
     * @param bytesPresent whether the blob is in the store with its recorded size
     * @param location     the blob's recorded location (relative to the artifact store) resolved against this
     *                     project's store
     */
    public record ArtifactDescription(ArtifactRecord artifact, List<ArtifactLink> links, boolean bytesPresent, URI location) {
    }

    /** An artifact and its value, read back from the store. */
    public record LoadedArtifact(ArtifactRecord artifact, Object value) {
    }

    /**
     * Reads an artifact's value as its recorded format and type choose (the bytes checked against the recorded
     * sha256 first).
     *
     * @throws FlywheelException naming the artifact when it cannot be read ({@code CORRUPT}, {@code NOT_FOUND}, ...)
     */
    public LoadedArtifact load(String idOrPrefix) {
        ArtifactRecord a = records.get(idOrPrefix);
        return new LoadedArtifact(a, io.get().read(a, loader));
    }

    /** Reads the artifact's value. */
    public <T> T load(String idOrPrefix, Class<T> type) {
        ArtifactRecord a = records.get(idOrPrefix);
        Object value = io.get().read(a, loader);
        if (!type.isInstance(value)) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Artifact " + a.id() + " holds a " + a.type() + ", not a " + type.getName());
        }
        return type.cast(value);
    }
}
