package dev.flywheel.schedule.store;

import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.ScheduleRecord;
import dev.flywheel.schedule.SourceRef;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code schedules} table. */
public final class ScheduleTable {
    private static final String COLUMNS = "id, pipeline, launch_json, schedule_json, paused, not_before, created_at, updated_at";
    private static final String READ_COLUMNS = COLUMNS + ", broken_reason, broken_at";

    private final MetadataStore store;

    public ScheduleTable(MetadataStore store) {
        this.store = store;
    }

    public void insert(ScheduleRecord r) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.pipeline());
                ps.setString(3, StoreJson.write(r.launch()));
                ps.setString(4, StoreJson.write(r.schedule()));
                ps.setInt(5, r.paused() ? 1 : 0);
                Sql.setInstant(ps, 6, r.notBefore());
                ps.setLong(7, r.createdAt().toEpochMilli());
                ps.setLong(8, r.updatedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** The schedules that can be read; see {@link #rows()} for the others. */
    public List<ScheduleRecord> list() {
        return rows().readable();
    }

    /** Every stored schedule: those that can be read, and those whose stored definition cannot be (never thrown). */
    public Rows<ScheduleRecord> rows() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM schedules ORDER BY pipeline, created_at")) {
                return rows(ps);
            }
        });
    }

    /** The schedule with this id or unique id prefix. */
    public ScheduleRecord get(String idOrPrefix) {
        return store.read(c -> get(c, resolve(c, "schedules", "schedule", idOrPrefix)));
    }

    ScheduleRecord get(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM schedules WHERE id = ?")) {
            ps.setString(1, id);
            Rows<ScheduleRecord> found = rows(ps);
            if (!found.unreadable().isEmpty()) {
                UnreadableSource u = found.unreadable().getFirst();
                throw FlywheelException.invalid("Schedule " + id + " cannot be read (" + u.reason() + "); delete it with:"
                        + " flywheel schedules delete " + id);
            }
            if (found.readable().isEmpty()) {
                throw FlywheelException.notFound("No schedule with id '" + id + "'; list them with: flywheel schedules list");
            }
            return found.readable().getFirst();
        }
    }

    /** The schedule with this id or unique prefix, without reading its definition. */
    public SourceRef ref(String idOrPrefix) {
        return store.read(c -> {
            String id = resolve(c, "schedules", "schedule", idOrPrefix);
            try (PreparedStatement ps = c.prepareStatement("SELECT pipeline FROM schedules WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new SourceRef("schedule", id, rs.getString(1));
                }
            }
        });
    }

    /** Replaces the mutable fields (schedule, paused, not-before, broken) of the record with the same id. */
    public void update(ScheduleRecord r) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET schedule_json = ?, paused = ?, not_before = ?, "
                    + "launch_json = ?, updated_at = ?, broken_reason = ?, broken_at = ? WHERE id = ?")) {
                ps.setString(1, StoreJson.write(r.schedule()));
                ps.setInt(2, r.paused() ? 1 : 0);
                Sql.setInstant(ps, 3, r.notBefore());
                ps.setString(4, StoreJson.write(r.launch()));
                ps.setLong(5, r.updatedAt().toEpochMilli());
                ps.setString(6, r.broken() == null ? null : r.broken().reason());
                Sql.setInstant(ps, 7, r.broken() == null ? null : r.broken().since());
                ps.setString(8, r.id());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Marks the schedule broken unless it already is; returns true if this call marked it. Needs no readable
     * definition, so an unreadable row can be marked too.
     */
    public boolean markBroken(String id, String reason, Instant at) {
        return Sql.markBroken(store, "schedules", id, reason, at);
    }

    /** Deletes the schedule and its fire history. */
    public void delete(String id) {
        store.write(c -> {
            new FireLedger(store).deleteOf(c, id);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    private static Rows<ScheduleRecord> rows(PreparedStatement ps) throws SQLException {
        List<ScheduleRecord> readable = new ArrayList<>();
        List<UnreadableSource> unreadable = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                String pipeline = rs.getString("pipeline");
                try {
                    readable.add(new ScheduleRecord(id, pipeline,
                            StoreJson.read(rs.getString("launch_json"), LaunchSpec.class, "launch of schedule " + id),
                            StoreJson.read(rs.getString("schedule_json"), Schedule.class, "schedule " + id),
                            rs.getInt("paused") != 0, Sql.instant(rs, "not_before"),
                            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                            Sql.broken(rs)));
                } catch (RuntimeException e) {
                    // one bad row must not hide (or stop) every other schedule
                    unreadable.add(new UnreadableSource("schedule", id, pipeline, e.getMessage()));
                }
            }
        }
        return new Rows<>(readable, unreadable);
    }

    /** Resolves a full id or a unique prefix in {@code table}, with errors that say how to find the right one. */
    static String resolve(Connection c, String table, String what, String idOrPrefix) throws SQLException {
        if (idOrPrefix == null || !idOrPrefix.matches("[0-9a-fA-F]{1,32}")) {
            throw FlywheelException.notFound("No " + what + " with id '" + idOrPrefix + "': ids are hexadecimal; list them with: flywheel "
                    + what + "s list");
        }
        String lower = idOrPrefix.toLowerCase(java.util.Locale.ROOT);
        List<String> matches = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id >= ? AND id < ? ORDER BY id LIMIT 3")) {
            ps.setString(1, lower);
            ps.setString(2, lower + "g");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    matches.add(rs.getString(1));
                }
            }
        }
        if (matches.isEmpty()) {
            throw FlywheelException.notFound("No " + what + " with id '" + idOrPrefix + "'; list them with: flywheel " + what + "s list");
        }
        if (matches.size() > 1 && !matches.getFirst().equals(lower)) {
            throw FlywheelException.invalid("The " + what + " id prefix '" + idOrPrefix + "' matches several: "
                    + String.join(", ", matches) + "; type more characters");
        }
        return matches.getFirst();
    }
}
