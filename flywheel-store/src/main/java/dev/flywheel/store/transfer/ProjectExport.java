package dev.flywheel.store.transfer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a project's metadata (every table, whatever module owns it) and the blobs it refers to into a folder that
 * {@link ProjectImport} loads into another project, typically one on the production stores (PostgreSQL and S3).
 *
 * <p>The source is only read. The rows are read in one transaction, so the export is a consistent snapshot (writers
 * wait meanwhile, as for any write). Every blob is checked against the sha256 its row recorded while it is copied.
 * The folder is built under a temporary name beside {@code dir} and renamed when complete: a failure leaves no
 * folder, or the empty one that was there.
 */
public final class ProjectExport {
    /** Tables left out, and why: what they hold belongs to this machine, not to the project. */
    public static final Map<String, String> SKIPPED = Map.of(
            "flyway_schema_history", "the target keeps its own schema history",
            "services", "prediction servers are daemons of this machine: deploy again from the target",
            "secrets", "secrets are encrypted with this machine's key: create them again on the target");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Table files hold one JSON value per line: no indentation. */
    private static final ObjectMapper LINES = new ObjectMapper();

    private final MetadataStore metadata;
    private final ArtifactStore artifacts;
    private final List<BlobColumns> blobColumns;
    private final Clock clock;

    public ProjectExport(MetadataStore metadata, ArtifactStore artifacts, List<BlobColumns> blobColumns, Clock clock) {
        this.metadata = metadata;
        this.artifacts = artifacts;
        this.blobColumns = List.copyOf(blobColumns);
        this.clock = clock;
    }

    /**
     * Exports into {@code dir}, which must not exist or be empty.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a folder that is not empty; CORRUPT or NOT_FOUND naming the row
     *                           of a blob that is damaged or missing; UNAVAILABLE when the folder cannot be written
     */
    public TransferReport exportTo(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        requireEmptyOrAbsent(target);
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + UUID.randomUUID());
        try {
            Files.createDirectories(partial.resolve("tables"));
            Snapshot snapshot = metadata.write(c -> dumpTables(c, partial));
            long bytes = 0;
            for (Map.Entry<String, BlobRef> e : snapshot.blobs().entrySet()) {
                bytes += copyBlob(e.getValue(), partial);
            }
            List<ExportManifest.Blob> blobs = snapshot.blobs().values().stream()
                    .map(b -> new ExportManifest.Blob(b.sha256(), sizeOf(partial, b.sha256()))).toList();
            ExportManifest manifest = new ExportManifest(ExportManifest.FORMAT, clock.instant().toString(),
                    Map.of("metadata", metadata.description(), "artifacts", artifacts.root().toString()),
                    snapshot.schemaVersions(), snapshot.tables(), blobs, snapshot.skipped());
            JSON.writeValue(partial.resolve(ExportManifest.FILE).toFile(), manifest);
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty, checked above; the rename puts the complete export in its place
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            List<TransferReport.TableCount> counts = snapshot.tables().stream()
                    .map(t -> new TransferReport.TableCount(t.name(), t.rows(), 0, 0)).toList();
            return new TransferReport(target, counts, blobs.size(), blobs.size(), bytes, snapshot.skipped());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Could not write the export to " + target + ": " + e
                    + "; check free space and permissions there. Nothing was exported", e);
        } finally {
            deleteTree(partial);
        }
    }

    private record BlobRef(String sha256, URI location, String where) {
    }

    private record Snapshot(List<ExportManifest.Table> tables, Map<String, BlobRef> blobs, List<String> schemaVersions,
                            Map<String, Long> skipped) {
    }

    private Snapshot dumpTables(Connection c, Path folder) throws SQLException {
        List<ExportManifest.Table> tables = new ArrayList<>();
        Map<String, BlobRef> blobs = new LinkedHashMap<>();
        Map<String, Long> skipped = new TreeMap<>();
        for (String table : TableOrder.of(c, Set.of())) {
            if (SKIPPED.containsKey(table)) {
                long n = count(c, table);
                if (n > 0 && !table.equals("flyway_schema_history")) {
                    skipped.put(table, n);
                }
                continue;
            }
            tables.add(dumpTable(c, table, folder.resolve("tables").resolve(table + ".jsonl"), blobs));
        }
        return new Snapshot(tables, blobs, schemaVersions(c), skipped);
    }

    private ExportManifest.Table dumpTable(Connection c, String table, Path file, Map<String, BlobRef> blobs) throws SQLException {
        List<BlobColumns> refs = blobColumns.stream().filter(b -> b.table().equals(table)).toList();
        MessageDigest digest = sha256();
        long rows = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            try (JsonGenerator g = LINES.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                g.writeStartObject();
                g.writeObjectField("columns", columns);
                g.writeEndObject();
                g.writeRaw('\n');
                while (rs.next()) {
                    g.writeStartArray();
                    for (int i = 1; i <= n; i++) {
                        writeValue(g, rs.getObject(i), table, columns.get(i - 1));
                    }
                    g.writeEndArray();
                    g.writeRaw('\n');
                    rows++;
                    for (BlobColumns b : refs) {
                        String location = rs.getString(b.locationColumn());
                        String sha = rs.getString(b.sha256Column());
                        if (location != null && sha != null) {
                            blobs.putIfAbsent(sha, new BlobRef(sha, URI.create(location), table + "." + b.locationColumn()
                                    + " of row " + rs.getString(1)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Could not write " + file + ": " + e, e);
        }
        return new ExportManifest.Table(table, rows, HexFormat.of().formatHex(digest.digest()));
    }

    private static void writeValue(JsonGenerator g, Object v, String table, String column) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case java.math.BigDecimal d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case String s -> g.writeString(s);
            default -> throw new FlywheelException(ErrorCode.INTERNAL, "Column " + table + "." + column + " holds a "
                    + v.getClass().getName() + ", which an export cannot carry; please report this");
        }
    }

    /** Copies a blob into the export, hashing it on the way; returns its size. */
    private long copyBlob(BlobRef blob, Path folder) throws IOException {
        Path file = folder.resolve("blobs").resolve(blob.sha256().substring(0, 2)).resolve(blob.sha256());
        Files.createDirectories(file.getParent());
        MessageDigest digest = sha256();
        long size;
        try (InputStream in = artifacts.open(blob.location());
             OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            size = in.transferTo(out);
        } catch (FlywheelException e) {
            throw new FlywheelException(e.code(), "Cannot export the blob of " + blob.where() + ": " + e.getMessage()
                    + ". Nothing was exported", e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(blob.sha256())) {
            throw new FlywheelException(ErrorCode.CORRUPT, "Cannot export the blob of " + blob.where() + ": its " + size
                    + " bytes at " + artifacts.locate(blob.location()) + " hash to sha256 " + actual + ", but sha256 "
                    + blob.sha256() + " was recorded. Nothing was exported");
        }
        return size;
    }

    private static long sizeOf(Path folder, String sha) {
        try {
            return Files.size(folder.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Could not read back the exported blob " + sha + ": " + e, e);
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The successfully applied migrations of a store, as Flyway records them. */
    static List<String> schemaVersions(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(2)) {
                    out.add(rs.getString(1));
                }
            }
        }
        out.sort(Comparator.comparing(ProjectExport::versionKey));
        return out;
    }

    private static String versionKey(String v) {
        StringBuilder key = new StringBuilder();
        for (String part : v.split("[._]")) {
            key.append(String.format("%010d.", Long.parseLong(part.replaceAll("\\D", "0"))));
        }
        return key.toString();
    }

    private static void requireEmptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw FlywheelException.invalid("Cannot export to " + dir + ": it is a file; name a new folder");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                throw FlywheelException.invalid("Cannot export to " + dir + ": the folder is not empty; name a new folder");
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + dir + ": " + e, e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "this JVM has no SHA-256 MessageDigest", e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temporary folder beside the export
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
