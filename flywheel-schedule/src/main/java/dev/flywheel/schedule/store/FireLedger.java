package dev.flywheel.schedule.store;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fires} table: every fire of every schedule and trigger, claimed once. Methods taking a
 * {@link Connection} join the caller's transaction; the others use their own.
 */
public final class FireLedger {
    private static final String COLUMNS = "source_id, fire_key, source_kind, pipeline, fire_time, state, trigger_text, "
            + "reason_json, params_json, owner, pid, run_id, log_file, created_at, launched_at, finished_at, message";

    private final MetadataStore store;

    public FireLedger(MetadataStore store) {
        this.store = store;
    }

    public MetadataStore store() {
        return store;
    }

    /**
     * Records a new fire. The primary key (source, fire key) is the claim: returns false, changing nothing, when
     * the fire is already recorded (by this scheduler earlier, or by another one).
     */
    public boolean claim(Connection c, FireRecord f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fires (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, fire_key) DO NOTHING")) {
            ps.setString(1, f.sourceId());
            ps.setString(2, f.fireKey());
            ps.setString(3, f.sourceKind().name());
            ps.setString(4, f.pipeline());
            ps.setLong(5, f.fireTime().toEpochMilli());
            ps.setString(6, f.state().name());
            ps.setString(7, f.trigger());
            ps.setString(8, f.reasonJson());
            ps.setString(9, StoreJson.write(f.params()));
            ps.setString(10, f.owner());
            if (f.pid() == null) {
                ps.setNull(11, java.sql.Types.BIGINT);
            } else {
                ps.setLong(11, f.pid());
            }
            ps.setString(12, f.runId());
            ps.setString(13, f.logFile());
            ps.setLong(14, f.createdAt().toEpochMilli());
            Sql.setInstant(ps, 15, f.launchedAt());
            Sql.setInstant(ps, 16, f.finishedAt());
            ps.setString(17, f.message());
            return ps.executeUpdate() == 1;
        }
    }

    public boolean claim(FireRecord f) {
        return store.write(c -> claim(c, f));
    }

    /** The newest fire time recorded for a source, launched or skipped or waiting. */
    public Optional<Instant> lastFireTime(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(fire_time) FROM fires WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
            }
        }
    }

    /** How many fires of the source hold a run slot (pending or launched). */
    public int running(String sourceId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM fires WHERE source_id = ? AND state IN (?, ?)")) {
                ps.setString(1, sourceId);
                ps.setString(2, FireState.PENDING.name());
                ps.setString(3, FireState.LAUNCHED.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Fires in one of {@code states}, oldest first. */
    public List<FireRecord> inState(FireState... states) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < states.length; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM fires WHERE state IN (" + in
                    + ") ORDER BY fire_time, created_at")) {
                for (int i = 0; i < states.length; i++) {
                    ps.setString(i + 1, states[i].name());
                }
                return list(ps);
            }
        });
    }

    /** The newest {@code limit} fires of a source, newest first. */
    public List<FireRecord> recent(String sourceId, int limit) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM fires WHERE source_id = ? "
                    + "ORDER BY fire_time DESC, created_at DESC LIMIT ?")) {
                ps.setString(1, sourceId);
                ps.setInt(2, limit);
                return list(ps);
            }
        });
    }

    /** Moves a fire from {@code from} to PENDING for {@code owner}; false when someone else moved it first. */
    public boolean take(FireRecord f, FireState from, String owner) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fires SET state = ?, owner = ? WHERE source_id = ? "
                    + "AND fire_key = ? AND state = ?")) {
                ps.setString(1, FireState.PENDING.name());
                ps.setString(2, owner);
                ps.setString(3, f.sourceId());
                ps.setString(4, f.fireKey());
                ps.setString(5, from.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void launched(FireRecord f, long pid, String logFile, Instant at) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fires SET state = ?, pid = ?, log_file = ?, launched_at = ? "
                    + "WHERE source_id = ? AND fire_key = ?")) {
                ps.setString(1, FireState.LAUNCHED.name());
                ps.setLong(2, pid);
                ps.setString(3, logFile);
                ps.setLong(4, at.toEpochMilli());
                ps.setString(5, f.sourceId());
                ps.setString(6, f.fireKey());
                return ps.executeUpdate();
            }
        });
    }

    /** Ends a fire (succeeded or failed), if it has not ended yet. */
    public void finish(FireRecord f, FireState state, String runId, Instant at, String message) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fires SET state = ?, run_id = ?, finished_at = ?, message = ? "
                    + "WHERE source_id = ? AND fire_key = ? AND state IN (?, ?, ?)")) {
                ps.setString(1, state.name());
                ps.setString(2, runId);
                ps.setLong(3, at.toEpochMilli());
                ps.setString(4, message);
                ps.setString(5, f.sourceId());
                ps.setString(6, f.fireKey());
                ps.setString(7, FireState.PENDING.name());
                ps.setString(8, FireState.LAUNCHED.name());
                ps.setString(9, FireState.DEFERRED.name());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The run a launched child recorded, asked of the runs' owner (the store's records API): found by the fire id
     * the child was given; a fire launched by a scheduler of an older version (no fire id) by the child's pid and the
     * fire's trigger text.
     */
    public Optional<LaunchedRun> runOf(FireRecord f) {
        RunRecords runs = new RunRecords(store);
        Optional<RunRecord> run = runs.findByFireId(f.id());
        if (run.isEmpty() && f.pid() != null) {
            Instant since = f.launchedAt() == null ? Instant.EPOCH : f.launchedAt().minusSeconds(5);
            run = runs.findLaunched(f.pid(), f.trigger(), since);
        }
        return run.map(r -> new LaunchedRun(r.id(), r.status()));
    }

    /** The run a fire's child recorded, and its status. */
    public record LaunchedRun(String runId, RunStatus status) {
    }

    void deleteOf(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM fires WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            ps.executeUpdate();
        }
    }

    private static List<FireRecord> list(PreparedStatement ps) throws SQLException {
        List<FireRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FireRecord(rs.getString("source_id"), rs.getString("fire_key"),
                        FireRecord.SourceKind.valueOf(rs.getString("source_kind")), rs.getString("pipeline"),
                        Instant.ofEpochMilli(rs.getLong("fire_time")), FireState.valueOf(rs.getString("state")),
                        rs.getString("trigger_text"), rs.getString("reason_json"), StoreJson.readParams(rs.getString("params_json")),
                        rs.getString("owner"), Sql.longOrNull(rs, "pid"), rs.getString("run_id"), rs.getString("log_file"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Sql.instant(rs, "launched_at"),
                        Sql.instant(rs, "finished_at"), rs.getString("message")));
            }
        }
        return out;
    }
}
