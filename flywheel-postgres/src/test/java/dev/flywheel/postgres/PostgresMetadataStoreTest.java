package dev.flywheel.postgres;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.testkit.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL metadata store against a real server: connecting, migrating, the write lock, clear errors. */
class PostgresMetadataStoreTest {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.shared();
    }

    private static PostgresSettings settings(PostgresServer.Database db) {
        return PostgresSettings.of(db.url(), db.user(), db.password());
    }

    private static PostgresMetadataStore open(PostgresServer.Database db) {
        return PostgresMetadataStore.open(settings(db), PostgresMetadataStoreTest.class.getClassLoader());
    }

    @Test
    void anEmptyDatabaseIsMigratedOnceAndOpensAgainWithoutMigrating() throws Exception {
        PostgresServer.Database db = server.createDatabase("migrate");
        try (PostgresMetadataStore store = open(db)) {
            assertThat(store.description()).isEqualTo("postgresql://127.0.0.1:" + server.port() + "/" + db.name() + " (user flywheel)");
            assertThat(tablesOf(store)).contains("runs", "step_runs", "artifacts", "artifact_links", "pipelines");
        }
        int applied;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            applied = rs.getInt(1);
        }
        try (PostgresMetadataStore store = open(db)) {
            assertThat(tablesOf(store)).contains("runs");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(applied);
        }
    }

    private static List<String> tablesOf(PostgresMetadataStore store) {
        return store.read(PostgresMetadataStoreTest::tables);
    }

    private static List<String> tables(Connection c) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }

    @Test
    void processesOpeningAnEmptyDatabaseAtOnceMigrateItOnce() throws Exception {
        PostgresServer.Database db = server.createDatabase("concurrent_migrate");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(pool.submit(() -> {
                    try (PostgresMetadataStore store = open(db)) {
                        return store.description();
                    }
                }));
            }
            for (Future<String> f : opened) {
                assertThat(f.get()).contains(db.name());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, count(*) FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1")) {
            assertThat(rs.next()).as("a migration applied twice").isFalse();
        }
    }

    @Test
    void writesAreSerializedSoAReadThenWriteNeverLosesAnUpdate() throws Exception {
        PostgresServer.Database db = server.createDatabase("serialized");
        try (PostgresMetadataStore store = open(db)) {
            store.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counter (n INTEGER NOT NULL)");
                    s.execute("INSERT INTO counter VALUES (0)");
                }
                return null;
            });
            int threads = 6;
            int each = 25;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            // read, then write what was read plus one: lost updates without the write lock
                            store.write(c -> {
                                int n;
                                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
                                    rs.next();
                                    n = rs.getInt(1);
                                }
                                try (PreparedStatement ps = c.prepareStatement("UPDATE counter SET n = ?")) {
                                    ps.setInt(1, n + 1);
                                    ps.executeUpdate();
                                }
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            int n = store.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(n).isEqualTo(threads * each);
        }
    }

    @Test
    void aFailedWriteLeavesNothingAndReleasesTheLock() throws Exception {
        PostgresServer.Database db = server.createDatabase("rollback");
        try (PostgresMetadataStore store = open(db)) {
            RunRecords runs = new RunRecords(store);
            assertThatThrownBy(() -> store.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO pipelines (name, created_at, spec_json) VALUES ('p', 1, '{}')");
                }
                throw new IllegalStateException("midway");
            })).hasMessage("midway");
            int pipelines = store.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pipelines")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(pipelines).isZero();
            assertThat(runs.list(null, 10)).isEmpty();
            // the lock went with the transaction: the next write does not wait
            long started = System.nanoTime();
            store.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO pipelines (name, created_at, spec_json) VALUES ('p', 1, '{}')");
                }
                return null;
            });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheUserNotThePassword() {
        PostgresServer.Database db = server.createDatabase("password");
        assertThatThrownBy(() -> PostgresMetadataStore.open(PostgresSettings.of(db.url(), db.user(), "not-the-password"),
                getClass().getClassLoader()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("refused the password of user 'flywheel'")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void aMissingDatabaseAndAnUnreachableServerAreClearErrors() throws Exception {
        assertThatThrownBy(() -> PostgresMetadataStore.open(PostgresSettings.of(server.url("no_such_db"),
                PostgresServer.USER, PostgresServer.PASSWORD), getClass().getClassLoader()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("does not exist").hasMessageContaining("createdb");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> PostgresMetadataStore.open(new PostgresSettings("jdbc:postgresql://127.0.0.1:" + closed + "/x",
                "u", "p", 2, Duration.ofSeconds(2)), getClass().getClassLoader()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("Cannot reach PostgreSQL at postgresql://127.0.0.1:" + closed + "/x");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void badSettingsAreRefusedBeforeConnecting() {
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:mysql://h/db", "u", null)).hasMessageContaining("not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://h:5432/", "u", null)).hasMessageContaining("one database");
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://h:5432/db?password=secret", "u", null))
                .hasMessageContaining("must not carry a password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://u:pw@h:5432/db", "u", null))
                .hasMessageContaining("must not carry a password");
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://h:5432/db", " ", null)).hasMessageContaining("--db-user");
        assertThat(PostgresSettings.of("jdbc:postgresql://h:5432/db?sslmode=require", "u", "pw").where()).isEqualTo("postgresql://h:5432/db");
        assertThat(PostgresSettings.of("jdbc:postgresql://h:5432/db", "u", "pw").toString()).doesNotContain("pw ").contains("****");
    }
}
