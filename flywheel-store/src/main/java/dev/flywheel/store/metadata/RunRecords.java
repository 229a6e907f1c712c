package dev.flywheel.store.metadata;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.SourceVersion;
import dev.flywheel.sdk.StepStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pipelines, runs and step runs in the metadata store. Methods taking a {@link Connection} join the caller's transaction. */
public final class RunRecords {
    private static final String RUN_COLUMNS = "id, pipeline, status, started_at, finished_at, trigger, params_json, error, owner_host, owner_pid, owner_started_at, "
            + "launch_reason_json, fire_id, git_commit, git_branch, git_dirty";
    private static final String STEP_COLUMNS = "id, run_id, name, step_class, status, cache_key, cached_from, code_hash, config_json, "
            + "attempts, started_at, finished_at, error, logs, metadata_json";

    private final MetadataStore store;

    public RunRecords(MetadataStore store) {
        this.store = store;
    }

    public void savePipeline(Connection c, String name, String description, String specJson, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipelines (name, description, created_at, last_run_at, spec_json) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
                + "last_run_at = excluded.last_run_at, spec_json = excluded.spec_json")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setLong(3, now.toEpochMilli());
            ps.setLong(4, now.toEpochMilli());
            ps.setString(5, specJson);
            ps.executeUpdate();
        }
    }

    public void insertRun(Connection c, RunRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.pipeline());
            ps.setString(3, r.status().name());
            ps.setLong(4, r.startedAt().toEpochMilli());
            setInstant(ps, 5, r.finishedAt());
            ps.setString(6, r.trigger());
            ps.setString(7, r.paramsJson());
            ps.setString(8, storable(r.error()));
            ps.setString(9, r.ownerHost());
            ps.setLong(10, r.ownerPid());
            setInstant(ps, 11, r.ownerStartedAt());
            ps.setString(12, r.launchReason() == null ? null : LaunchReasonJson.write(r.launchReason()));
            ps.setString(13, r.fireId());
            ps.setString(14, r.source().commit());
            ps.setString(15, r.source().branch());
            if (r.source().dirty() == null) {
                ps.setNull(16, Types.INTEGER);
            } else {
                ps.setInt(16, r.source().dirty() ? 1 : 0);
            }
            ps.executeUpdate();
        }
    }

    public void finishRun(Connection c, String runId, RunStatus status, Instant finishedAt, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setLong(2, finishedAt.toEpochMilli());
            ps.setString(3, storable(error));
            ps.setString(4, runId);
            ps.executeUpdate();
        }
    }

    /** Inserts or replaces the row of a step run (steps are saved when they start and again when they end). */
    public void saveStepRun(Connection c, StepRunRecord s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_runs (" + STEP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, cache_key = excluded.cache_key, "
                + "cached_from = excluded.cached_from, attempts = excluded.attempts, started_at = excluded.started_at, "
                + "finished_at = excluded.finished_at, error = excluded.error, logs = excluded.logs, metadata_json = excluded.metadata_json")) {
            ps.setString(1, s.id());
            ps.setString(2, s.runId());
            ps.setString(3, s.name());
            ps.setString(4, s.stepClass());
            ps.setString(5, s.status().name());
            ps.setString(6, s.cacheKey());
            ps.setString(7, s.cachedFrom());
            ps.setString(8, s.codeHash());
            ps.setString(9, s.configJson());
            ps.setInt(10, s.attempts());
            setInstant(ps, 11, s.startedAt());
            setInstant(ps, 12, s.finishedAt());
            ps.setString(13, storable(s.error()));
            ps.setString(14, storable(s.logs()));
            ps.setString(15, s.metadataJson());
            ps.executeUpdate();
        }
    }

    /** The newest successful execution with this cache key, whose outputs a new execution may reuse. */
    public Optional<StepRunRecord> findCached(Connection c, String cacheKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM step_runs WHERE cache_key = ? AND status = ? "
                + "ORDER BY finished_at DESC LIMIT 1")) {
            ps.setString(1, cacheKey);
            ps.setString(2, StepStatus.SUCCEEDED.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stepRun(rs)) : Optional.empty();
            }
        }
    }

    public List<RunRecord> list(String pipelineOrNull, int limit) {
        return store.read(c -> {
            String sql = "SELECT " + RUN_COLUMNS + " FROM runs" + (pipelineOrNull == null ? "" : " WHERE pipeline = ?")
                    + " ORDER BY started_at DESC, id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (pipelineOrNull != null) {
                    ps.setString(i++, pipelineOrNull);
                }
                ps.setInt(i, limit);
                List<RunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The run the scheduler's fire {@code fireId} launched, once that run has recorded itself. */
    public Optional<RunRecord> findByFireId(String fireId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE fire_id = ? ORDER BY started_at DESC LIMIT 1")) {
                ps.setString(1, fireId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The run a process recorded with this trigger text since {@code since}: how fires launched by a scheduler of an
     * older version (which passed no fire id) find their run.
     */
    public Optional<RunRecord> findLaunched(long ownerPid, String trigger, Instant since) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE owner_pid = ? AND trigger = ? "
                    + "AND started_at >= ? ORDER BY started_at DESC LIMIT 1")) {
                ps.setLong(1, ownerPid);
                ps.setString(2, trigger);
                ps.setLong(3, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Runs of {@code pipeline} that finished at or after {@code from}, oldest first (ties by id). */
    public List<RunRecord> finishedSince(String pipeline, Instant from) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE pipeline = ? "
                    + "AND finished_at IS NOT NULL AND finished_at >= ? ORDER BY finished_at, id")) {
                ps.setString(1, pipeline);
                ps.setLong(2, from.toEpochMilli());
                List<RunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                }
                return out;
            }
        });
    }

    /** One page of runs matching {@code q}, newest first (start time, then id, descending). */
    public RunQuery.Page page(RunQuery q) {
        return store.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            if (q.pipeline() != null) {
                sql.append(" AND pipeline = ?");
                args.add(q.pipeline());
            }
            if (q.status() != null) {
                sql.append(" AND status = ?");
                args.add(q.status().name());
            }
            if (q.trigger() != null) {
                if (q.trigger().endsWith(":")) {
                    sql.append(" AND trigger >= ? AND trigger < ?"); // a prefix, without LIKE's wildcards
                    args.add(q.trigger());
                    args.add(q.trigger().substring(0, q.trigger().length() - 1) + (char) (':' + 1));
                } else {
                    sql.append(" AND trigger = ?");
                    args.add(q.trigger());
                }
            }
            if (q.branch() != null) {
                sql.append(" AND git_branch = ?");
                args.add(q.branch());
            }
            if (q.startedAfter() != null) {
                sql.append(" AND started_at >= ?");
                args.add(q.startedAfter().toEpochMilli());
            }
            if (q.startedBefore() != null) {
                sql.append(" AND started_at < ?");
                args.add(q.startedBefore().toEpochMilli());
            }
            if (q.after() != null) {
                // A row-value comparison, so the (started_at, id) index seeks straight to the position (an OR would scan).
                sql.append(" AND (started_at, id) < (?, ?)");
                args.add(q.after().startedAt().toEpochMilli());
                args.add(q.after().id());
            }
            sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
            args.add(q.limit() + 1); // one more tells whether there is a next page
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<RunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                }
                if (out.size() <= q.limit()) {
                    return new RunQuery.Page(out, null);
                }
                List<RunRecord> page = out.subList(0, q.limit());
                RunRecord last = page.getLast();
                return new RunQuery.Page(page, new RunQuery.Position(last.startedAt(), last.id()));
            }
        });
    }

    /** How many steps each of these runs has, and how many of them reused cached outputs (runs without steps are absent). */
    public java.util.Map<String, StepCounts> stepCounts(List<String> runIds) {
        if (runIds.isEmpty()) {
            return java.util.Map.of();
        }
        return store.read(c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, COUNT(*), SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) "
                    + "FROM step_runs WHERE run_id IN (" + marks + ") GROUP BY run_id")) {
                ps.setString(1, StepStatus.CACHED.name());
                for (int i = 0; i < runIds.size(); i++) {
                    ps.setString(i + 2, runIds.get(i));
                }
                java.util.Map<String, StepCounts> out = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new StepCounts(rs.getInt(2), rs.getInt(3)));
                    }
                }
                return out;
            }
        });
    }

    /** A run's number of steps and of cached ones. */
    public record StepCounts(int steps, int cached) {
    }

    /** The run with this id or unique id prefix. */
    public RunRecord get(String idOrPrefix) {
        return store.read(c -> {
            String id = IdPrefix.resolve(c, "runs", "run", idOrPrefix);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return run(rs);
                }
            }
        });
    }

    public List<StepRunRecord> steps(String runId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM step_runs WHERE run_id = ? "
                    // steps that never started (skipped) last, on every database (SQLite sorts nulls first, PostgreSQL last)
                    + "ORDER BY (COALESCE(started_at, finished_at) IS NULL), COALESCE(started_at, finished_at), name")) {
                ps.setString(1, runId);
                List<StepRunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(stepRun(rs));
                    }
                }
                return out;
            }
        });
    }

    public List<PipelineRecord> pipelines() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, description, created_at, last_run_at, spec_json FROM pipelines ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<PipelineRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new PipelineRecord(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            instant(rs, 4), rs.getString(5)));
                }
                return out;
            }
        });
    }

    public long count(String pipelineOrNull) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM runs" + (pipelineOrNull == null ? "" : " WHERE pipeline = ?"))) {
                if (pipelineOrNull != null) {
                    ps.setString(1, pipelineOrNull);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Whether the process with this pid, started at this instant (null: unknown), still runs. */
    @FunctionalInterface
    public interface OwnerCheck {
        boolean alive(long pid, Instant startedAt);
    }

    /**
     * Marks runs of this host whose owning process is gone as failed, with their unfinished steps: a run whose
     * process was killed must not stay "running" forever. Reads first and writes only when it finds such a run, so
     * calling it before every listing costs one query; a run that finished meanwhile is left as it finished.
     *
     * @return how many runs were marked
     */
    public int failAbandoned(String host, OwnerCheck owner, Instant now) {
        record Running(String id, long pid, Instant startedAt) {
        }
        List<Running> dead = store.read(c -> {
            List<Running> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, owner_pid, owner_started_at FROM runs WHERE status = ? AND owner_host = ?")) {
                ps.setString(1, RunStatus.RUNNING.name());
                ps.setString(2, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Running r = new Running(rs.getString(1), rs.getLong(2), instant(rs, 3));
                        if (!owner.alive(r.pid(), r.startedAt())) {
                            found.add(r);
                        }
                    }
                }
            }
            return found;
        });
        if (dead.isEmpty()) {
            return 0;
        }
        return store.write(c -> {
            int marked = 0;
            for (Running r : dead) {
                String reason = "The process running this run (pid " + r.pid() + " on " + host + ") ended before the run finished";
                try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = ?")) {
                    ps.setString(1, RunStatus.FAILED.name());
                    ps.setLong(2, now.toEpochMilli());
                    ps.setString(3, reason);
                    ps.setString(4, r.id());
                    ps.setString(5, RunStatus.RUNNING.name());
                    if (ps.executeUpdate() == 0) {
                        continue; // it finished on its own between the read and this write
                    }
                }
                marked++;
                try (PreparedStatement ps = c.prepareStatement("UPDATE step_runs SET status = ?, error = ?, finished_at = ? "
                        + "WHERE run_id = ? AND status IN (?, ?)")) {
                    ps.setString(1, StepStatus.FAILED.name());
                    ps.setString(2, reason);
                    ps.setLong(3, now.toEpochMilli());
                    ps.setString(4, r.id());
                    ps.setString(5, StepStatus.RUNNING.name());
                    ps.setString(6, StepStatus.PENDING.name());
                    ps.executeUpdate();
                }
            }
            return marked;
        });
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString(1), rs.getString(2), RunStatus.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                instant(rs, 5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), instant(rs, 11),
                launchReason(rs.getString(12)), rs.getString(13), source(rs));
    }

    private static SourceVersion source(ResultSet rs) throws SQLException {
        int dirty = rs.getInt(16);
        return new SourceVersion(rs.getString(14), rs.getString(15), rs.wasNull() ? null : dirty != 0);
    }

    /** A stored reason, or null when there is none or it is of a kind this version does not know (a newer one wrote it). */
    private static LaunchReason launchReason(String json) {
        if (json == null) {
            return null;
        }
        try {
            return LaunchReasonJson.read(json);
        } catch (FlywheelException e) {
            return null;
        }
    }

    private static StepRunRecord stepRun(ResultSet rs) throws SQLException {
        return new StepRunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), StepStatus.valueOf(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10), instant(rs, 11), instant(rs, 12),
                rs.getString(13), rs.getString(14), rs.getString(15));
    }

    /**
     * Text as every metadata store keeps it: a NUL character (a step printing binary output) becomes U+FFFD, since
     * PostgreSQL's text holds no NUL and a run must not fail for what its step printed.
     */
    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
