package dev.flywheel.deploy.service;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The {@code services} table: one row per service, whatever its flavor. Thread-safe. */
public final class ServiceStore {
    private static final String COLUMNS = "id, flavor, config_json, desired_state, status, last_error, prediction_url, "
            + "pipeline_name, run_id, step_name, model_name, model_version, pid, port, restart_count, created_at, updated_at, name, server_pid";
    private final MetadataStore store;

    public ServiceStore(MetadataStore store) {
        this.store = store;
    }

    /** Inserts a new service; CONFLICT when its name is taken. */
    public void insert(ServiceRecord r) {
        store.write(c -> {
            if (r.name() != null && !query(c, "SELECT " + COLUMNS + " FROM services WHERE name = ?", r.name()).isEmpty()) {
                throw FlywheelException.conflict("A service named '" + r.name() + "' exists already; pick another name with --as, "
                        + "or replace it: flywheel models deploy " + r.modelName() + " VERSION --replace --service " + r.name());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO services (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, r);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Writes every field of {@code r}; fails when the row was deleted meanwhile. */
    public void update(ServiceRecord r) {
        int n = store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE services SET id = ?, flavor = ?, config_json = ?, "
                    + "desired_state = ?, status = ?, last_error = ?, prediction_url = ?, pipeline_name = ?, run_id = ?, "
                    + "step_name = ?, model_name = ?, model_version = ?, pid = ?, port = ?, restart_count = ?, created_at = ?, "
                    + "updated_at = ?, name = ?, server_pid = ? WHERE id = ?")) {
                bind(ps, r);
                ps.setString(20, r.uuid().toString());
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw FlywheelException.notFound("Service " + r.uuid() + " was deleted meanwhile; list services with: flywheel served-models list");
        }
    }

    public void delete(UUID uuid) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM services WHERE id = ?")) {
                ps.setString(1, uuid.toString());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<ServiceRecord> find(UUID uuid) {
        return store.read(c -> {
            List<ServiceRecord> rows = query(c, "SELECT " + COLUMNS + " FROM services WHERE id = ?", uuid.toString());
            return rows.stream().findFirst();
        });
    }

    /** The service with this name, full id or unique id prefix. */
    public ServiceRecord resolve(String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw FlywheelException.invalid("No service id given; list services with: flywheel served-models list");
        }
        Optional<ServiceRecord> named = store.read(c -> query(c, "SELECT " + COLUMNS + " FROM services WHERE name = ?", idOrPrefix.strip()))
                .stream().findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        String p = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        if (!p.matches("[0-9a-f-]{1,36}")) {
            throw FlywheelException.notFound("No service with id or name '" + idOrPrefix
                    + "': service ids are UUIDs, names are what --as gave (see flywheel served-models list)");
        }
        List<ServiceRecord> matches = store.read(c -> query(c, "SELECT " + COLUMNS
                + " FROM services WHERE id >= ? AND id < ? ORDER BY id LIMIT 3", p, p + "\uffff"));
        if (matches.isEmpty()) {
            throw FlywheelException.notFound("No service with id '" + idOrPrefix + "'; list them with: flywheel served-models list");
        }
        if (matches.size() > 1 && !matches.getFirst().uuid().toString().equals(p)) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "The service id prefix '" + idOrPrefix + "' matches several: "
                    + String.join(", ", matches.stream().map(m -> m.uuid().toString()).toList())
                    + (matches.size() > 2 ? ", ..." : "") + "; type more characters");
        }
        return matches.getFirst();
    }

    /** Services matching every non-null filter, newest first. */
    public List<ServiceRecord> list(String flavor, String pipelineName, String stepName, String modelName) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM services WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        filter(sql, args, "flavor", flavor);
        filter(sql, args, "pipeline_name", pipelineName);
        filter(sql, args, "step_name", stepName);
        filter(sql, args, "model_name", modelName);
        sql.append(" ORDER BY created_at DESC, id");
        return store.read(c -> query(c, sql.toString(), args.toArray(String[]::new)));
    }

    private static void filter(StringBuilder sql, List<String> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static List<ServiceRecord> query(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<ServiceRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String lastError = rs.getString("last_error");
                    out.add(new ServiceRecord(UUID.fromString(rs.getString("id")), rs.getString("flavor"),
                            ServiceJson.config(rs.getString("config_json")), DesiredState.valueOf(rs.getString("desired_state")),
                            ServiceStatus.parse(rs.getString("status"), lastError), lastError, rs.getString("prediction_url"),
                            rs.getLong("pid"), rs.getInt("port"), rs.getInt("restart_count"),
                            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                            rs.getString("name"), rs.getLong("server_pid")));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, ServiceRecord r) throws SQLException {
        ps.setString(1, r.uuid().toString());
        ps.setString(2, r.flavor());
        ps.setString(3, ServiceJson.config(r.config()));
        ps.setString(4, r.desiredState().name());
        ps.setString(5, r.status().text());
        nullable(ps, 6, r.status() instanceof ServiceStatus.Failed f ? f.lastError() : r.lastError());
        nullable(ps, 7, r.predictionUrl());
        nullable(ps, 8, r.pipelineName());
        nullable(ps, 9, r.runId());
        nullable(ps, 10, r.stepName());
        ps.setString(11, r.modelName());
        ps.setInt(12, r.modelVersion());
        ps.setLong(13, r.pid());
        ps.setInt(14, r.port());
        ps.setInt(15, r.restartCount());
        ps.setLong(16, r.createdAt().toEpochMilli());
        ps.setLong(17, r.updatedAt().toEpochMilli());
        nullable(ps, 18, r.name());
        ps.setLong(19, r.serverPid());
    }

    private static void nullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
