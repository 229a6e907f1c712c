package dev.flywheel.testdb;

import dev.flywheel.postgres.PostgresMetadataStore;
import dev.flywheel.postgres.PostgresSettings;
import dev.flywheel.testkit.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL databases of this test JVM. The first is migrated with the test class path's migrations and kept
 * as a template; every other is a copy of it (schema and Flyway history included, so opening one runs no
 * migration). A database is handed to a project folder until the test ends, then emptied (TRUNCATE) and handed to
 * the next folder: every test starts with empty tables, and the JVM creates only as many databases as one test
 * uses at once.
 */
final class PostgresDatabases {
    private static PostgresDatabases instance;

    private final PostgresServer server;
    private final String template;
    private final Deque<PostgresServer.Database> free = new ArrayDeque<>();
    private final Map<Path, PostgresServer.Database> assigned = new HashMap<>();
    private final java.util.Set<String> throwaway = new java.util.HashSet<>();

    private PostgresDatabases(PostgresServer server, String template) {
        this.server = server;
        this.template = template;
    }

    static synchronized PostgresDatabases get() {
        if (instance == null) {
            PostgresServer server = PostgresServer.shared();
            PostgresServer.Database template = server.createDatabase("template");
            PostgresMetadataStore.open(PostgresSettings.of(template.url(), template.user(), template.password()),
                    TestDatabase.class.getClassLoader()).close();
            instance = new PostgresDatabases(server, template.name());
        }
        return instance;
    }

    /** Whether any PostgreSQL database was handed out in this JVM (so there is something to release). */
    static synchronized boolean started() {
        return instance != null;
    }

    synchronized PostgresServer.Database assign(Path projectFolder) {
        return assigned.computeIfAbsent(projectFolder.toAbsolutePath().normalize(), f -> {
            PostgresServer.Database db = free.poll();
            return db != null ? db : server.createDatabase("project", template);
        });
    }

    /** A database without any schema for {@code projectFolder}; dropped, not reused, when the test ends. */
    synchronized PostgresServer.Database assignEmpty(Path projectFolder) {
        Path key = projectFolder.toAbsolutePath().normalize();
        if (assigned.containsKey(key)) {
            throw new IllegalStateException(projectFolder + " already has a database; ask for an empty one first");
        }
        PostgresServer.Database db = server.createDatabase("empty");
        assigned.put(key, db);
        throwaway.add(db.name());
        return db;
    }

    /** Empties every handed-out database and takes it back. Called when a test ends, after it closed its stores. */
    synchronized void releaseAll() {
        List<PostgresServer.Database> done = new ArrayList<>(assigned.values());
        assigned.clear();
        for (PostgresServer.Database db : done) {
            if (throwaway.remove(db.name())) {
                server.dropDatabase(db.name());
                continue;
            }
            try {
                truncate(db);
                free.push(db);
            } catch (SQLException e) {
                // a database we cannot empty is not reused; the next test gets a fresh copy
            }
        }
    }

    private static void truncate(PostgresServer.Database db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add("\"" + rs.getString(1) + "\"");
                }
            }
            if (!tables.isEmpty()) {
                s.execute("SET lock_timeout = '10s'");
                s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            }
        }
    }
}
