package dev.flywheel.store.transfer;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables of a metadata store, parents before children (a table's foreign keys point only at tables listed
 * before it), read from the database's own metadata, so a table added by any module later is copied without this
 * class knowing it.
 */
final class TableOrder {
    private TableOrder() {
    }

    static List<String> of(Connection c, Set<String> skipped) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = meta.getTables(null, schema(c), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!skipped.contains(name) && !name.startsWith("sqlite_")) {
                    tables.add(name);
                }
            }
        }
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String t : tables) {
            Set<String> p = new TreeSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, schema(c), t)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(t) && tables.contains(parent)) {
                        p.add(parent);
                    }
                }
            }
            parents.put(t, p);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < tables.size()) {
            boolean progress = false;
            for (String t : tables) {
                if (!placed.contains(t) && placed.containsAll(parents.get(t))) {
                    placed.add(t);
                    ordered.add(t);
                    progress = true;
                }
            }
            if (!progress) {
                throw new SQLException("the foreign keys of tables " + parents + " form a cycle; they cannot be copied in order");
            }
        }
        return ordered;
    }

    /** PostgreSQL's tables are in the connection's schema (public); SQLite has none. */
    private static String schema(Connection c) throws SQLException {
        String s = c.getSchema();
        return s == null || s.isEmpty() ? null : s;
    }
}
