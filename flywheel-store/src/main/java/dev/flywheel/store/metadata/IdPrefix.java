package dev.flywheel.store.metadata;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Resolves a full id or a unique prefix of one (as users type {@code 3f2a}) in one table. */
final class IdPrefix {
    private IdPrefix() {
    }

    static String resolve(Connection c, String table, String what, String idOrPrefix) throws SQLException {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw FlywheelException.invalid("No " + what + " id given");
        }
        if (!idOrPrefix.matches("[0-9a-fA-F-]{1,36}")) {
            throw FlywheelException.notFound("No " + what + " with id '" + idOrPrefix + "': ids are hexadecimal (from 'flywheel "
                    + what + "s list')");
        }
        List<String> matches = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id >= ? AND id < ? ORDER BY id LIMIT 3")) {
            String lower = idOrPrefix.toLowerCase(java.util.Locale.ROOT);
            ps.setString(1, lower);
            ps.setString(2, lower + "\uffff");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    matches.add(rs.getString(1));
                }
            }
        }
        if (matches.isEmpty()) {
            throw FlywheelException.notFound("No " + what + " with id '" + idOrPrefix + "'; list them with: flywheel " + what + "s list");
        }
        if (matches.size() > 1 && !matches.get(0).equals(idOrPrefix)) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "The " + what + " id prefix '" + idOrPrefix
                    + "' matches several: " + String.join(", ", matches) + (matches.size() > 2 ? ", ..." : "") + "; type more characters");
        }
        return matches.get(0);
    }
}
