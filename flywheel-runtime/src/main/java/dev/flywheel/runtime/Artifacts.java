package dev.flywheel.runtime;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;

import dev.flywheel.sdk.data.Table;
import dev.flywheel.store.artifact.ArtifactStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
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

    /**
     * The artifact's stored bytes, checked against the recorded sha256, when it is no larger than {@code maxBytes}.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming both sizes when it is larger; CORRUPT when the bytes changed
     */
    public StoredBytes bytes(String idOrPrefix, long maxBytes) {
        ArtifactRecord a = records.get(idOrPrefix);
        if (a.size() > maxBytes) {
            throw FlywheelException.invalid("Artifact " + a.id() + " is " + a.size() + " bytes, more than the " + maxBytes
                    + " bytes a download may be; read it in a step or with the Java API (Artifacts.load)");
        }
        ArtifactStore store = io.get().store();
        store.requireIntact(a.uri(), a.sha256(), ArtifactIo.describe(a));
        try (InputStream in = store.open(a.uri())) {
            return new StoredBytes(a, in.readNBytes((int) a.size()));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + ArtifactIo.describe(a) + ": " + e.getMessage(), e);
        }
    }

    /** An artifact's bytes as stored, with its record (type, materializer, sha256). */
    public record StoredBytes(ArtifactRecord artifact, byte[] content) {
    }

    /**
     * A look at an artifact's value: for a {@link Table}, its columns and first {@code rows} rows (cells as numbers or
     * text); for any other value, its text form cut to {@code maxChars}.
     */
    public Preview preview(String idOrPrefix, int rows, int maxChars) {
        if (rows < 0 || maxChars < 0) {
            throw FlywheelException.invalid("rows and maxChars must not be negative, got " + rows + " and " + maxChars);
        }
        LoadedArtifact loaded = load(idOrPrefix);
        if (loaded.value() instanceof Table table) {
            Table head = table.head(Math.min(rows, table.rowCount()));
            List<List<Object>> cells = new ArrayList<>();
            for (int r = 0; r < head.rowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (String column : head.columnNames()) {
                    row.add(head.column(column).getObject(r));
                }
                cells.add(row);
            }
            return new Preview.OfTable(loaded.artifact(), head.columnNames(), table.rowCount(), cells);
        }
        String text = String.valueOf(loaded.value());
        return new Preview.OfText(loaded.artifact(), text.length() <= maxChars ? text : text.substring(0, maxChars), text.length() > maxChars);
    }

    /** What {@link #preview} shows of a value. */
    public sealed interface Preview {
        ArtifactRecord artifact();

        /** A table's first rows; {@code totalRows} is how many it has. */
        record OfTable(ArtifactRecord artifact, List<String> columns, int totalRows, List<List<Object>> rows) implements Preview {
        }

        /** Any other value's text form; {@code truncated} when it was cut. */
        record OfText(ArtifactRecord artifact, String text, boolean truncated) implements Preview {
        }
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

    /**
     * Reads a table a model version's lineage recorded (registry data: location, sha256, size), whether or not this
     * store has the artifact's row: a version promoted from another stack brings the bytes, not the run that made them.
     */
    public dev.flywheel.sdk.data.Table loadRecordedTable(String artifactId, java.net.URI location, long size, String sha256) {
        ArtifactRecord a = new ArtifactRecord(artifactId, location, dev.flywheel.sdk.data.Table.class.getName(),
                dev.flywheel.store.materialize.internal.TableMaterializer.FORMAT, size, sha256, java.time.Instant.EPOCH, "", "", "", "");
        Object value = io.get().read(a, loader);
        if (!(value instanceof dev.flywheel.sdk.data.Table t)) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Artifact " + artifactId + " is not a table");
        }
        return t;
    }
}
