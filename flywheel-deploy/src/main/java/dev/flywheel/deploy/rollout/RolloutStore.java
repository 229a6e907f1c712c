package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The tables {@code rollouts} and {@code rollout_decisions} (migration V410). Every change is a compare-and-set on the
 * row's revision together with the decision that caused it, in one transaction: of two deciders (the supervisor's
 * controller and a user's command) exactly one wins, and the loser reads the row again. Thread-safe.
 */
public final class RolloutStore {
    private static final String COLUMNS = "id, service_id, model_name, champion_version, challenger_version, challenger_json, strategy, "
            + "plan_json, state, step_index, failures, reason, step_started_at, created_at, updated_at, revision";
    private final MetadataStore store;

    public RolloutStore(MetadataStore store) {
        this.store = store;
    }

    /** Inserts a new rollout; CONFLICT when its service has an active one already. */
    public void insert(RolloutRecord r, StepDecision first) {
        store.write(c -> {
            Optional<RolloutRecord> active = activeFor(c, r.service());
            if (active.isPresent()) {
                throw FlywheelException.conflict("Service " + r.service() + " has rollout " + active.get().shortId() + " of version "
                        + active.get().challengerVersion() + " in progress (" + active.get().state().label() + "); promote or abort it first: "
                        + "flywheel rollouts abort " + active.get().shortId());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollouts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id().toString());
                ps.setString(2, r.service().toString());
                ps.setString(3, r.modelName());
                ps.setInt(4, r.championVersion());
                ps.setInt(5, r.challengerVersion());
                ps.setString(6, ServiceJson.config(r.challenger()));
                ps.setString(7, r.plan().strategy().name());
                ps.setString(8, RolloutJson.plan(r.plan()));
                bindState(ps, 9, r);
                ps.setLong(14, r.createdAt().toEpochMilli());
                ps.setLong(15, r.updatedAt().toEpochMilli());
                ps.setInt(16, r.revision());
                ps.executeUpdate();
            }
            addDecision(c, r.id(), first);
            return null;
        });
    }

    /**
     * Replaces {@code expected} by {@code next} (same id, revision one more) and records {@code decision}, if nobody
     * changed the row since {@code expected} was read.
     *
     * @return the stored rollout when this change won, empty when another change came first
     */
    public Optional<RolloutRecord> change(RolloutRecord expected, RolloutRecord next, StepDecision decision) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE rollouts SET state = ?, step_index = ?, failures = ?, reason = ?, "
                    + "step_started_at = ?, updated_at = ?, revision = ? WHERE id = ? AND revision = ?")) {
                ps.setString(1, next.state().name());
                ps.setInt(2, next.stepIndex());
                ps.setInt(3, next.failures());
                ps.setString(4, next.reason());
                ps.setLong(5, next.stepStartedAt().toEpochMilli());
                ps.setLong(6, next.updatedAt().toEpochMilli());
                ps.setInt(7, next.revision());
                ps.setString(8, expected.id().toString());
                ps.setInt(9, expected.revision());
                if (ps.executeUpdate() == 0) {
                    return Optional.<RolloutRecord>empty();
                }
            }
            if (decision != null) {
                addDecision(c, next.id(), decision);
            }
            return find(c, next.id());
        });
    }

    public Optional<RolloutRecord> find(UUID id) {
        return store.read(c -> find(c, id));
    }

    /** The rollout with this id or unique id prefix. */
    public RolloutRecord resolve(String idOrPrefix) {
        String p = idOrPrefix == null ? "" : idOrPrefix.strip().toLowerCase(Locale.ROOT);
        if (!p.matches("[0-9a-f-]{1,36}")) {
            throw FlywheelException.notFound("No rollout '" + idOrPrefix + "': rollout ids are UUIDs (list them with: flywheel rollouts list)");
        }
        List<RolloutRecord> matches = store.read(c -> query(c, "SELECT " + COLUMNS + " FROM rollouts WHERE id >= ? AND id < ? ORDER BY id LIMIT 3",
                p, p + "\uffff"));
        if (matches.isEmpty()) {
            throw FlywheelException.notFound("No rollout with id '" + idOrPrefix + "'; list them with: flywheel rollouts list");
        }
        if (matches.size() > 1 && !matches.getFirst().id().toString().equals(p)) {
            throw FlywheelException.invalid("The rollout id prefix '" + idOrPrefix + "' matches several; type more characters");
        }
        return find(matches.getFirst().id()).orElseThrow();
    }

    /** The service's active (progressing or paused) rollout. */
    public Optional<RolloutRecord> active(UUID service) {
        return store.read(c -> activeFor(c, service));
    }

    /** The service's newest rollout, whatever its state. */
    public Optional<RolloutRecord> latest(UUID service) {
        return store.read(c -> {
            List<RolloutRecord> rows = query(c, "SELECT " + COLUMNS + " FROM rollouts WHERE service_id = ? ORDER BY created_at DESC, id LIMIT 1",
                    service.toString());
            return rows.isEmpty() ? Optional.<RolloutRecord>empty() : find(c, rows.getFirst().id());
        });
    }

    /** Every rollout, newest first (without decisions; {@link #find} reads them). */
    public List<RolloutRecord> list() {
        return store.read(c -> query(c, "SELECT " + COLUMNS + " FROM rollouts ORDER BY created_at DESC, id"));
    }

    private static Optional<RolloutRecord> activeFor(Connection c, UUID service) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM rollouts WHERE service_id = ? AND state IN ('PROGRESSING', 'PAUSED')", service.toString())
                .stream().findFirst();
    }

    private static Optional<RolloutRecord> find(Connection c, UUID id) throws SQLException {
        List<RolloutRecord> rows = query(c, "SELECT " + COLUMNS + " FROM rollouts WHERE id = ?", id.toString());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        RolloutRecord r = rows.getFirst();
        List<StepDecision> decisions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, decided_at, step_index, weight, verdict, checks_json, action "
                + "FROM rollout_decisions WHERE rollout_id = ? ORDER BY seq")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    decisions.add(new StepDecision(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3), rs.getInt(4),
                            Verdict.valueOf(rs.getString(5)), RolloutJson.checks(rs.getString(6)), rs.getString(7)));
                }
            }
        }
        return Optional.of(new RolloutRecord(r.id(), r.service(), r.modelName(), r.championVersion(), r.challenger(), r.plan(), r.state(),
                r.stepIndex(), r.failures(), r.reason(), r.stepStartedAt(), r.createdAt(), r.updatedAt(), r.revision(), decisions));
    }

    private static void addDecision(Connection c, UUID id, StepDecision d) throws SQLException {
        int seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM rollout_decisions WHERE rollout_id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_decisions (rollout_id, seq, decided_at, step_index, weight, "
                + "verdict, checks_json, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.toString());
            ps.setInt(2, seq);
            ps.setLong(3, d.at().toEpochMilli());
            ps.setInt(4, d.step());
            ps.setInt(5, d.weight());
            ps.setString(6, d.verdict().name());
            ps.setString(7, RolloutJson.checks(d.checks()));
            ps.setString(8, d.action());
            ps.executeUpdate();
        }
    }

    private static void bindState(PreparedStatement ps, int from, RolloutRecord r) throws SQLException {
        ps.setString(from, r.state().name());
        ps.setInt(from + 1, r.stepIndex());
        ps.setInt(from + 2, r.failures());
        ps.setString(from + 3, r.reason());
        ps.setLong(from + 4, r.stepStartedAt().toEpochMilli());
    }

    private static List<RolloutRecord> query(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<RolloutRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RolloutRecord(UUID.fromString(rs.getString("id")), UUID.fromString(rs.getString("service_id")),
                            rs.getString("model_name"), rs.getInt("champion_version"), ServiceJson.config(rs.getString("challenger_json")),
                            RolloutJson.plan(rs.getString("plan_json")), RolloutState.valueOf(rs.getString("state")), rs.getInt("step_index"),
                            rs.getInt("failures"), rs.getString("reason"), Instant.ofEpochMilli(rs.getLong("step_started_at")),
                            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                            rs.getInt("revision"), List.of()));
                }
            }
            return out;
        }
    }
}
