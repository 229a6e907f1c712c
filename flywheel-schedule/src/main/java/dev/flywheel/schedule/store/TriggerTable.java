package dev.flywheel.schedule.store;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.SourceRef;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code triggers} table, and the atomic "consume state and record the fire" step of a data trigger. */
public final class TriggerTable {
    private static final String COLUMNS = "id, pipeline, kind, launch_json, config_json, state_json, max_concurrent, paused, created_at, updated_at";
    private static final String READ_COLUMNS = COLUMNS + ", broken_reason, broken_at";

    private final MetadataStore store;

    public TriggerTable(MetadataStore store) {
        this.store = store;
    }

    public void insert(TriggerRecord r) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO triggers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.pipeline());
                ps.setString(3, r.spec().kind());
                ps.setString(4, StoreJson.write(r.launch()));
                ps.setString(5, StoreJson.write(r.spec()));
                ps.setString(6, r.stateJson());
                ps.setInt(7, r.maxConcurrentRuns());
                ps.setInt(8, r.paused() ? 1 : 0);
                ps.setLong(9, r.createdAt().toEpochMilli());
                ps.setLong(10, r.updatedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** The triggers that can be read; see {@link #rows()} for the others. */
    public List<TriggerRecord> list() {
        return rows().readable();
    }

    /** Every stored trigger: those that can be read, and those whose stored definition cannot be (never thrown). */
    public Rows<TriggerRecord> rows() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM triggers ORDER BY pipeline, created_at")) {
                return rows(ps);
            }
        });
    }

    public TriggerRecord get(String idOrPrefix) {
        return store.read(c -> {
            String id = ScheduleTable.resolve(c, "triggers", "trigger", idOrPrefix);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM triggers WHERE id = ?")) {
                ps.setString(1, id);
                Rows<TriggerRecord> found = rows(ps);
                if (!found.unreadable().isEmpty()) {
                    throw FlywheelException.invalid("Trigger " + id + " cannot be read (" + found.unreadable().getFirst().reason()
                            + "); delete it with: flywheel triggers delete " + id);
                }
                return found.readable().getFirst();
            }
        });
    }

    /** The trigger with this id or unique prefix, without reading its definition. */
    public SourceRef ref(String idOrPrefix) {
        return store.read(c -> {
            String id = ScheduleTable.resolve(c, "triggers", "trigger", idOrPrefix);
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, pipeline FROM triggers WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new SourceRef(rs.getString(1), id, rs.getString(2));
                }
            }
        });
    }

    /** Pauses or resumes the trigger; resuming also clears a broken mark, so the scheduler tries it again. */
    public void setPaused(String id, boolean paused, Instant now) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE triggers SET paused = ?, updated_at = ?"
                    + (paused ? "" : ", broken_reason = NULL, broken_at = NULL") + " WHERE id = ?")) {
                ps.setInt(1, paused ? 1 : 0);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Stores {@code next} as the trigger's definition if the stored one is still {@code expected}; false, changing
     * nothing, when the trigger was changed or deleted meanwhile.
     */
    public boolean replaceSpec(String id, TriggerSpec expected, TriggerSpec next, Instant now) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE triggers SET config_json = ?, updated_at = ? WHERE id = ? AND config_json = ?")) {
                ps.setString(1, StoreJson.write(next));
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, id);
                ps.setString(4, StoreJson.write(expected));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Marks the trigger broken unless it already is; returns true if this call marked it. */
    public boolean markBroken(String id, String reason, Instant at) {
        return Sql.markBroken(store, "triggers", id, reason, at);
    }

    public void delete(String id) {
        store.write(c -> {
            new FireLedger(store).deleteOf(c, id);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_deliveries WHERE trigger_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM triggers WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * In one transaction: if the trigger's state is still {@code expectedState}, stores {@code newState} and claims
     * {@code fires} (a fire already recorded is left as it is). Returns false, changing nothing, when another
     * scheduler changed the state first - so of two schedulers polling the same folder, only one consumes the files.
     */
    public boolean advance(String id, String expectedState, String newState, List<FireRecord> fires, Instant now) {
        FireLedger ledger = new FireLedger(store);
        return store.write(c -> {
            if (!compareAndSet(c, id, expectedState, newState, now)) {
                return false;
            }
            for (FireRecord f : fires) {
                ledger.claim(c, f);
            }
            return true;
        });
    }

    private static boolean compareAndSet(Connection c, String id, String expected, String next, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE triggers SET state_json = ?, updated_at = ? WHERE id = ? AND state_json = ?")) {
            ps.setString(1, next);
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, id);
            ps.setString(4, expected);
            return ps.executeUpdate() == 1;
        }
    }

    private static Rows<TriggerRecord> rows(PreparedStatement ps) throws SQLException {
        List<TriggerRecord> readable = new ArrayList<>();
        List<UnreadableSource> unreadable = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                String pipeline = rs.getString("pipeline");
                try {
                    TriggerSpec spec = StoreJson.read(rs.getString("config_json"), TriggerSpec.class, "config of trigger " + id);
                    if (!spec.kind().equals(rs.getString("kind"))) {
                        throw FlywheelException.invalid("Trigger " + id + " is stored as kind " + rs.getString("kind")
                                + " but its config is " + spec.kind());
                    }
                    readable.add(new TriggerRecord(id, pipeline, spec,
                            StoreJson.read(rs.getString("launch_json"), LaunchSpec.class, "launch of trigger " + id),
                            rs.getInt("max_concurrent"), rs.getInt("paused") != 0, rs.getString("state_json"),
                            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                            Sql.broken(rs)));
                } catch (RuntimeException e) {
                    // one bad row must not hide (or stop) every other trigger
                    unreadable.add(new UnreadableSource("trigger", id, pipeline, e.getMessage()));
                }
            }
        }
        return new Rows<>(readable, unreadable);
    }
}
