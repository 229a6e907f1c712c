package dev.flywheel.store.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.metadata.MetadataStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads an export folder ({@link ProjectExport}) into this project's stores, checked by counts and hashes.
 *
 * <p>Order, so that a failure anywhere leaves the target as it was (and the export folder, only read, untouched):
 * the folder is checked first (every table file's sha256 and row count, the schema, an empty target); then the
 * blobs are uploaded to the target artifact store, each verified against its sha256 (a blob already there is not
 * uploaded again); then every row goes in in one transaction, parents first. A failure before the commit leaves no
 * row; blobs uploaded by then are content-addressed and unreferenced, so nothing reads them (and an import run
 * again finds them there). Rows the target already has (its {@code default} stack and components, by primary key)
 * are kept as they are.
 */
public final class ProjectImport {
    /** Tables that make a project non-empty: an import goes into a project that has none of these rows. */
    private static final List<String> PROJECT_TABLES = List.of("runs", "artifacts", "registered_models", "schedules", "triggers");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    private final MetadataStore metadata;
    private final ArtifactStore artifacts;

    public ProjectImport(MetadataStore metadata, ArtifactStore artifacts) {
        this.metadata = metadata;
        this.artifacts = artifacts;
    }

    /**
     * Imports the export in {@code dir}.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a folder that is no export; CORRUPT for a file that changed since
     *                           the export; CONFLICT for a target project that already has runs, artifacts, models,
     *                           schedules or triggers, or lacks a migration the export has; UNAVAILABLE when a store
     *                           fails midway (nothing is committed then)
     */
    public TransferReport importFrom(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        ExportManifest manifest = readManifest(folder);
        for (ExportManifest.Table t : manifest.tables()) {
            checkTableFile(folder, t);
        }
        metadata.read(c -> {
            checkTarget(c, manifest);
            return null;
        });
        int uploaded = 0;
        long bytes = 0;
        for (ExportManifest.Blob b : manifest.blobs()) {
            long copied = uploadBlob(folder, b);
            if (copied >= 0) {
                uploaded++;
                bytes += copied;
            }
        }
        List<TransferReport.TableCount> counts = metadata.write(c -> insertAll(c, folder, manifest));
        for (TransferReport.TableCount t : counts) {
            if (t.added() + t.existing() != t.exported()) {
                throw new FlywheelException(ErrorCode.INTERNAL, "Import of table " + t.table() + " added " + t.added()
                        + " rows and found " + t.existing() + " already there, but the export has " + t.exported());
            }
        }
        metadata.read(c -> {
            verifyCounts(c, counts);
            return null;
        });
        return new TransferReport(folder, counts, manifest.blobs().size(), uploaded, bytes, manifest.skipped());
    }

    private static ExportManifest readManifest(Path folder) {
        Path file = folder.resolve(ExportManifest.FILE);
        if (!Files.isRegularFile(file)) {
            throw FlywheelException.invalid(folder + " is not a Flywheel export (it has no " + ExportManifest.FILE
                    + "); make one with: flywheel export --to DIR");
        }
        try {
            ExportManifest m = JSON.readValue(file.toFile(), ExportManifest.class);
            if (!ExportManifest.FORMAT.equals(m.format())) {
                throw FlywheelException.invalid(file + " is an export of format '" + m.format() + "'; this Flywheel reads "
                        + ExportManifest.FORMAT);
            }
            return m;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkTableFile(Path folder, ExportManifest.Table t) {
        Path file = tableFile(folder, t.name());
        MessageDigest digest = ProjectExport.sha256();
        long lines = 0;
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(new DigestInputStream(Files.newInputStream(file), digest),
                StandardCharsets.UTF_8))) {
            while (r.readLine() != null) {
                lines++;
            }
        } catch (NoSuchFileException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "The export in " + folder + " is incomplete: " + file + " is missing");
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + file + ": " + e, e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(t.sha256()) || lines - 1 != t.rows()) {
            throw new FlywheelException(ErrorCode.CORRUPT, "The export in " + folder + " changed since it was made: " + file
                    + " has " + Math.max(0, lines - 1) + " rows hashing to sha256 " + actual + ", the manifest says " + t.rows()
                    + " rows, sha256 " + t.sha256() + ". Export the project again");
        }
    }

    private static Path tableFile(Path folder, String table) {
        return folder.resolve("tables").resolve(table + ".jsonl");
    }

    private static void checkTarget(Connection c, ExportManifest manifest) throws SQLException {
        Set<String> applied = new LinkedHashSet<>(ProjectExport.schemaVersions(c));
        List<String> missing = manifest.schemaVersions().stream().filter(v -> !applied.contains(v)).toList();
        if (!missing.isEmpty()) {
            throw FlywheelException.conflict("The export comes from a newer Flywheel: this project lacks migrations "
                    + missing + "; upgrade Flywheel here, then import");
        }
        for (String table : PROJECT_TABLES) {
            long n = existsTable(c, table) ? ProjectExport.count(c, table) : 0;
            if (n > 0) {
                throw FlywheelException.conflict("This project already has " + n + " " + table.replace('_', ' ')
                        + "; an import goes into a new project (flywheel init --metadata-url ... in another folder, with an"
                        + " empty database). Nothing was imported");
            }
        }
    }

    private static boolean existsTable(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema(c), table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static String schema(Connection c) throws SQLException {
        String s = c.getSchema();
        return s == null || s.isEmpty() ? null : s;
    }

    /** Uploads one blob unless the target has it; verifies its hash. Returns the bytes uploaded, or -1 if it was there. */
    private long uploadBlob(Path folder, ExportManifest.Blob b) {
        Path file = folder.resolve("blobs").resolve(b.sha256().substring(0, 2)).resolve(b.sha256());
        URI location = URI.create("blobs/" + b.sha256().substring(0, 2) + "/" + b.sha256());
        if (!Files.isRegularFile(file)) {
            throw new FlywheelException(ErrorCode.CORRUPT, "The export in " + folder + " is incomplete: blob " + file
                    + " is missing. Nothing was imported");
        }
        if (artifacts.size(location) == b.size()) {
            return -1;
        }
        StoredBlob stored = artifacts.write(out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        });
        if (!stored.sha256().equals(b.sha256()) || stored.size() != b.size()) {
            throw new FlywheelException(ErrorCode.CORRUPT, "Blob " + file + " of the export changed since it was made: its "
                    + stored.size() + " bytes hash to sha256 " + stored.sha256() + ", not " + b.sha256()
                    + ". Nothing was imported; export the project again");
        }
        return stored.size();
    }

    private List<TransferReport.TableCount> insertAll(Connection c, Path folder, ExportManifest manifest) throws SQLException {
        Map<String, ExportManifest.Table> exported = new HashMap<>();
        manifest.tables().forEach(t -> exported.put(t.name(), t));
        List<TransferReport.TableCount> counts = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String table : TableOrder.of(c, ProjectExport.SKIPPED.keySet())) {
            ExportManifest.Table t = exported.get(table);
            if (t != null) {
                counts.add(insertTable(c, folder, t));
                done.add(table);
            }
        }
        for (ExportManifest.Table t : manifest.tables()) {
            if (!done.contains(t.name())) {
                throw FlywheelException.conflict("The export has table " + t.name() + ", which this project does not have;"
                        + " upgrade Flywheel here (or add the module that owns it to the classpath), then import");
            }
        }
        return counts;
    }

    private TransferReport.TableCount insertTable(Connection c, Path folder, ExportManifest.Table t) throws SQLException {
        Map<String, Integer> targetTypes = columnTypes(c, t.name());
        long added = 0;
        long existing = 0;
        try (BufferedReader r = Files.newBufferedReader(tableFile(folder, t.name()), StandardCharsets.UTF_8)) {
            List<String> columns = new ArrayList<>();
            JSON.readTree(r.readLine()).get("columns").forEach(n -> columns.add(n.asText()));
            for (String col : columns) {
                if (!targetTypes.containsKey(col)) {
                    throw FlywheelException.conflict("The export's table " + t.name() + " has column " + col + ", which this"
                            + " project's table lacks; upgrade Flywheel here, then import");
                }
            }
            String sql = "INSERT INTO " + t.name() + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(x -> "?").toList()) + ") ON CONFLICT DO NOTHING";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int pending = 0;
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode row = JSON.readTree(line);
                    for (int i = 0; i < columns.size(); i++) {
                        bind(ps, i + 1, row.get(i), targetTypes.get(columns.get(i)));
                    }
                    ps.addBatch();
                    if (++pending == BATCH) {
                        long[] n = sum(ps.executeBatch());
                        added += n[0];
                        existing += n[1];
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    long[] n = sum(ps.executeBatch());
                    added += n[0];
                    existing += n[1];
                }
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + tableFile(folder, t.name()) + ": " + e, e);
        }
        return new TransferReport.TableCount(t.name(), t.rows(), added, existing);
    }

    /** Rows added and rows skipped (already there) of one batch. */
    private static long[] sum(int[] updates) {
        long added = 0;
        long skipped = 0;
        for (int u : updates) {
            if (u > 0) {
                added += u;
            } else if (u == 0) {
                skipped++;
            } else {
                added++; // SUCCESS_NO_INFO: counted by verifyCounts afterwards
            }
        }
        return new long[] {added, skipped};
    }

    private static Map<String, Integer> columnTypes(Connection c, String table) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                out.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, int index, JsonNode v, int sqlType) throws SQLException {
        if (v == null || v.isNull()) {
            ps.setNull(index, sqlType);
            return;
        }
        switch (sqlType) {
            case Types.BIGINT -> ps.setLong(index, v.asLong());
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ps.setInt(index, v.asInt());
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> ps.setDouble(index, v.asDouble());
            case Types.BOOLEAN, Types.BIT -> ps.setBoolean(index, v.isBoolean() ? v.asBoolean() : v.asLong() != 0);
            // NUL cannot be stored in PostgreSQL text; older SQLite rows may hold one (a step's binary output)
            default -> ps.setString(index, (v.isTextual() ? v.asText() : v.toString()).replace('\u0000', '\uFFFD'));
        }
    }

    /** After the commit: every exported row of a project table is in the target (it was empty before). */
    private static void verifyCounts(Connection c, List<TransferReport.TableCount> counts) throws SQLException {
        for (TransferReport.TableCount t : counts) {
            long now = ProjectExport.count(c, t.table());
            if (now < t.exported()) {
                throw new FlywheelException(ErrorCode.INTERNAL, "After the import table " + t.table() + " has " + now
                        + " rows, fewer than the " + t.exported() + " exported");
            }
        }
    }
}
