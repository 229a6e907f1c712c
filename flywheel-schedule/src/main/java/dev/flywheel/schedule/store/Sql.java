package dev.flywheel.schedule.store;

import dev.flywheel.schedule.Broken;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small helpers shared by the schedule tables. */
final class Sql {
    private Sql() {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** The broken_reason and broken_at columns as a {@link Broken}, or null when the row is not broken. */
    static Broken broken(ResultSet rs) throws SQLException {
        String reason = rs.getString("broken_reason");
        return reason == null ? null : new Broken(reason, instant(rs, "broken_at"));
    }

    /** Marks a schedule or trigger row broken unless it already is; true if this call marked it. */
    static boolean markBroken(MetadataStore store, String table, String id, String reason, Instant at) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET broken_reason = ?, broken_at = ? "
                    + "WHERE id = ? AND broken_reason IS NULL")) {
                ps.setString(1, reason);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
