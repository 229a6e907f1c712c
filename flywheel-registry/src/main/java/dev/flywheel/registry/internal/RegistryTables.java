package dev.flywheel.registry.internal;

import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.RegisteredModel;
import dev.flywheel.registry.Stage;
import dev.flywheel.registry.StageChange;
import dev.flywheel.registry.StoredFile;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's rows in the metadata store. Every method joins the caller's connection (and so its transaction);
 * the rules (one production version, archived versions stay archived) are {@code ModelRegistry}'s.
 */
public final class RegistryTables {
    private static final String VERSION_COLUMNS = "model, version, format, stage, description, signature_json, model_uri, model_sha256, "
            + "model_size, provenance_uri, provenance_sha256, provenance_size, pipeline, run_id, step_name, step_run_id, code_hash, imported_from, "
            + "created_at, created_by, stage_changed_at";

    /** A {@code registered_models} row. */
    public record ModelRow(String name, String description, Instant createdAt, Instant updatedAt, int lastVersion) {
    }

    public Optional<ModelRow> model(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, description, created_at, updated_at, last_version FROM registered_models WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ModelRow(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5))) : Optional.empty();
            }
        }
    }

    public List<String> modelNames(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM registered_models ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public void insertModel(Connection c, String name, Instant now) throws SQLException {
        update(c, "INSERT INTO registered_models (name, description, created_at, updated_at, last_version) VALUES (?, '', ?, ?, 0)",
                name, now.toEpochMilli(), now.toEpochMilli());
    }

    /** Takes the model's next version number; the row update serializes concurrent registrations. */
    public int nextVersion(Connection c, String name, Instant now) throws SQLException {
        update(c, "UPDATE registered_models SET last_version = last_version + 1, updated_at = ? WHERE name = ?", now.toEpochMilli(), name);
        try (PreparedStatement ps = c.prepareStatement("SELECT last_version FROM registered_models WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("registered model " + name + " vanished inside its transaction");
                }
                return rs.getInt(1);
            }
        }
    }

    /** Raises the model's last version number to at least {@code version} (a version received under its own number). */
    public void reserveVersion(Connection c, String name, int version, Instant now) throws SQLException {
        update(c, "UPDATE registered_models SET last_version = CASE WHEN last_version < ? THEN ? ELSE last_version END, updated_at = ? "
                + "WHERE name = ?", version, version, now.toEpochMilli(), name);
    }

    public void touchModel(Connection c, String name, Instant now) throws SQLException {
        update(c, "UPDATE registered_models SET updated_at = ? WHERE name = ?", now.toEpochMilli(), name);
    }

    public void setModelDescription(Connection c, String name, String description, Instant now) throws SQLException {
        update(c, "UPDATE registered_models SET description = ?, updated_at = ? WHERE name = ?", description, now.toEpochMilli(), name);
    }

    public RegisteredModel summary(Connection c, ModelRow row) throws SQLException {
        int count = 0;
        int latest = 0;
        Integer production = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT version, stage FROM model_versions WHERE model = ? ORDER BY version")) {
            ps.setString(1, row.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count++;
                    latest = rs.getInt(1);
                    if (Stage.PRODUCTION.name().equals(rs.getString(2))) {
                        production = latest;
                    }
                }
            }
        }
        Map<String, Integer> aliases = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM model_aliases WHERE model = ?")) {
            ps.setString(1, row.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    aliases.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        Map<String, String> tags = stringMap(c, "SELECT tag, value FROM registered_model_tags WHERE model = ?", row.name());
        return new RegisteredModel(row.name(), row.description(), tags, count, latest, production, aliases, row.createdAt(), row.updatedAt());
    }

    /** A new version row, before its metrics and data links. */
    public record NewVersion(String model, int version, String format, String signatureJson, StoredFile file, StoredFile provenance,
                             Lineage lineage, String description, Instant createdAt, String createdBy) {
    }

    public void insertVersion(Connection c, NewVersion v) throws SQLException {
        String pipeline = null;
        String runId = null;
        String step = null;
        String stepRunId = null;
        String codeHash = null;
        String importedFrom = null;
        switch (v.lineage()) {
            case Lineage.FromRun r -> {
                pipeline = r.pipeline();
                runId = r.runId();
                step = r.step();
                stepRunId = r.stepRunId();
                codeHash = r.codeHash();
            }
            case Lineage.Imported i -> importedFrom = i.file();
        }
        long at = v.createdAt().toEpochMilli();
        update(c, "INSERT INTO model_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                v.model(), v.version(), v.format(), Stage.NONE.name(), v.description(), v.signatureJson(), v.file().uri().toString(),
                v.file().sha256(), v.file().size(), v.provenance().uri().toString(), v.provenance().sha256(), v.provenance().size(), pipeline, runId, step,
                stepRunId, codeHash, importedFrom, at, v.createdBy(), at);
        if (v.lineage() instanceof Lineage.FromRun r) {
            for (DataArtifact d : r.data()) {
                update(c, "INSERT INTO model_version_data (model, version, artifact_id, name, type, uri, sha256, size, depth) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        v.model(), v.version(), d.artifactId(), d.name(), d.type(), d.uri().toString(), d.sha256(), d.size(), d.depth());
            }
        }
    }

    /** Adds metrics, replacing values of metrics the version already has. */
    public void putMetrics(Connection c, String model, int version, Map<String, Double> metrics) throws SQLException {
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            update(c, "DELETE FROM model_version_metrics WHERE model = ? AND version = ? AND metric = ?", model, version, m.getKey());
            update(c, "INSERT INTO model_version_metrics (model, version, metric, value) VALUES (?, ?, ?, ?)", model, version, m.getKey(), m.getValue());
        }
    }

    public Optional<ModelVersion> version(Connection c, String model, int version) throws SQLException {
        List<ModelVersion> found = versions(c, "model = ? AND version = ?", model, version);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Every version of {@code model}, oldest first. */
    public List<ModelVersion> versions(Connection c, String model) throws SQLException {
        return versions(c, "model = ?", model);
    }

    public Optional<Integer> versionWithFile(Connection c, String model, String sha256) throws SQLException {
        return firstInt(c, "SELECT version FROM model_versions WHERE model = ? AND model_sha256 = ? ORDER BY version LIMIT 1", model, sha256);
    }

    /** The newest version in {@code stage}. */
    public Optional<Integer> newestInStage(Connection c, String model, Stage stage) throws SQLException {
        return firstInt(c, "SELECT version FROM model_versions WHERE model = ? AND stage = ? ORDER BY version DESC LIMIT 1", model, stage.name());
    }

    public Optional<Integer> aliasVersion(Connection c, String model, String alias) throws SQLException {
        return firstInt(c, "SELECT version FROM model_aliases WHERE model = ? AND alias = ?", model, alias);
    }

    public List<String> aliasNames(Connection c, String model) throws SQLException {
        return new ArrayList<>(stringMap(c, "SELECT alias, CAST(version AS TEXT) FROM model_aliases WHERE model = ?", model).keySet());
    }

    public List<Integer> versionNumbers(Connection c, String model) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM model_versions WHERE model = ? ORDER BY version")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    public void setStage(Connection c, String model, int version, Stage stage, Instant now) throws SQLException {
        update(c, "UPDATE model_versions SET stage = ?, stage_changed_at = ? WHERE model = ? AND version = ?",
                stage.name(), now.toEpochMilli(), model, version);
    }

    public void addStageChange(Connection c, String model, int version, Stage from, Stage to, String actor, Instant at, String reason)
            throws SQLException {
        int seq = firstInt(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM model_stage_changes WHERE model = ?", model).orElse(1);
        update(c, "INSERT INTO model_stage_changes (model, seq, version, from_stage, to_stage, actor, changed_at, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", model, seq, version, from.name(), to.name(), actor, at.toEpochMilli(), reason);
    }

    /** The model's stage changes, oldest first. */
    public List<StageChange> history(Connection c, String model) throws SQLException {
        List<StageChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model, seq, version, from_stage, to_stage, actor, changed_at, reason "
                + "FROM model_stage_changes WHERE model = ? ORDER BY seq")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StageChange(rs.getString(1), rs.getInt(2), rs.getInt(3), Stage.valueOf(rs.getString(4)),
                            Stage.valueOf(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8)));
                }
            }
        }
        return out;
    }

    public void setAlias(Connection c, String model, String alias, int version) throws SQLException {
        update(c, "DELETE FROM model_aliases WHERE model = ? AND alias = ?", model, alias);
        update(c, "INSERT INTO model_aliases (model, alias, version) VALUES (?, ?, ?)", model, alias, version);
    }

    public int deleteAlias(Connection c, String model, String alias) throws SQLException {
        return update(c, "DELETE FROM model_aliases WHERE model = ? AND alias = ?", model, alias);
    }

    public void setVersionDescription(Connection c, String model, int version, String description) throws SQLException {
        update(c, "UPDATE model_versions SET description = ? WHERE model = ? AND version = ?", description, model, version);
    }

    public void setVersionTag(Connection c, String model, int version, String tag, String value) throws SQLException {
        update(c, "DELETE FROM model_version_tags WHERE model = ? AND version = ? AND tag = ?", model, version, tag);
        if (value != null) {
            update(c, "INSERT INTO model_version_tags (model, version, tag, value) VALUES (?, ?, ?, ?)", model, version, tag, value);
        }
    }

    public void setModelTag(Connection c, String model, String tag, String value) throws SQLException {
        update(c, "DELETE FROM registered_model_tags WHERE model = ? AND tag = ?", model, tag);
        if (value != null) {
            update(c, "INSERT INTO registered_model_tags (model, tag, value) VALUES (?, ?, ?)", model, tag, value);
        }
    }

    /** Removes a version and its aliases, tags, metrics and data links; its stage history stays. */
    public void deleteVersion(Connection c, String model, int version) throws SQLException {
        for (String table : List.of("model_aliases", "model_version_tags", "model_version_metrics", "model_version_data", "model_versions")) {
            update(c, "DELETE FROM " + table + " WHERE model = ? AND version = ?", model, version);
        }
    }

    private List<ModelVersion> versions(Connection c, String where, Object... args) throws SQLException {
        List<ModelVersion> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE " + where + " ORDER BY version")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(c, rs));
                }
            }
        }
        return out;
    }

    private ModelVersion row(Connection c, ResultSet rs) throws SQLException {
        String model = rs.getString("model");
        int version = rs.getInt("version");
        String where = "model '" + model + "' version " + version;
        Lineage lineage;
        String importedFrom = rs.getString("imported_from");
        if (importedFrom != null) {
            lineage = new Lineage.Imported(importedFrom);
        } else {
            lineage = new Lineage.FromRun(rs.getString("pipeline"), rs.getString("run_id"), rs.getString("step_name"),
                    rs.getString("step_run_id"), rs.getString("code_hash"), data(c, model, version));
        }
        List<String> aliases = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias FROM model_aliases WHERE model = ? AND version = ? ORDER BY alias")) {
            bind(ps, model, version);
            try (ResultSet a = ps.executeQuery()) {
                while (a.next()) {
                    aliases.add(a.getString(1));
                }
            }
        }
        Map<String, Double> metrics = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT metric, value FROM model_version_metrics WHERE model = ? AND version = ?")) {
            bind(ps, model, version);
            try (ResultSet m = ps.executeQuery()) {
                while (m.next()) {
                    metrics.put(m.getString(1), m.getDouble(2));
                }
            }
        }
        Map<String, String> tags = stringMap(c, "SELECT tag, value FROM model_version_tags WHERE model = ? AND version = ?", model, version);
        return new ModelVersion(model, version, rs.getString("format"), Stage.valueOf(rs.getString("stage")), aliases,
                rs.getString("description"), tags, metrics, RegistryJson.signature(rs.getString("signature_json"), where),
                new StoredFile(URI.create(rs.getString("model_uri")), rs.getString("model_sha256"), rs.getLong("model_size")),
                new StoredFile(URI.create(rs.getString("provenance_uri")), rs.getString("provenance_sha256"), rs.getLong("provenance_size")),
                lineage, Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("stage_changed_at")));
    }

    private static List<DataArtifact> data(Connection c, String model, int version) throws SQLException {
        List<DataArtifact> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT artifact_id, name, type, uri, sha256, size, depth FROM model_version_data "
                + "WHERE model = ? AND version = ? ORDER BY depth, name, artifact_id")) {
            bind(ps, model, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DataArtifact(rs.getString(1), rs.getString(2), rs.getString(3), URI.create(rs.getString(4)),
                            rs.getString(5), rs.getLong(6), rs.getInt(7)));
                }
            }
        }
        return out;
    }

    private static Map<String, String> stringMap(Connection c, String sql, Object... args) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new TreeMap<>(out);
    }

    private static Optional<Integer> firstInt(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case null -> ps.setNull(i + 1, Types.VARCHAR);
                case String s -> ps.setString(i + 1, s);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case Double d -> ps.setDouble(i + 1, d);
                default -> throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
    }
}
