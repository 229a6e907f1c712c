package dev.flywheel.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.flywheel.postgres.internal.PostgresProblem;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.SchemaVersion;
import dev.flywheel.store.metadata.SqlWork;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The metadata store flavor {@code postgres}: a project in a PostgreSQL (13+) database, shared by every machine and
 * process that connects to it (laptops, CI runners, schedulers, servers). Flyway owns the schema, with the same
 * migrations as SQLite.
 *
 * <p>Same guarantees as the SQLite store, by the same means: a write transaction first takes the project's write
 * lock (a transaction-scoped advisory lock), so writes are serialized as SQLite's {@code BEGIN IMMEDIATE} serializes
 * them, and every read-then-write inside one (a version number, a stage change, a fire claim, a run's status)
 * sees the latest committed state. Unique constraints (one production version per model, one row per fire) hold
 * whatever the code above does. A writer waits up to {@link #LOCK_TIMEOUT_MS} for the lock, then fails with
 * UNAVAILABLE. Reads take no lock.
 *
 * <p>Thread-safe; one instance per process. Close it to release the pool.
 */
public final class PostgresMetadataStore implements MetadataStore {
    /** The flavor's name: {@code flywheel init --metadata-url jdbc:postgresql://...}. */
    public static final String FLAVOR = "postgres";
    /** How long a writer waits for another writer's transaction before giving up (as SQLite's busy timeout). */
    public static final int LOCK_TIMEOUT_MS = 30_000;
    /** The advisory lock key of a project's writes: "flywheel" in ASCII. One database holds one project. */
    static final long WRITE_LOCK = 0x666c_7977_6865_656cL;
    private static final String TAKE_WRITE_LOCK = "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT_MS + "ms'; SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")";
    private static final int MIN_SERVER_VERSION = 130000;

    private final HikariDataSource pool;
    private final PostgresSettings settings;

    private PostgresMetadataStore(HikariDataSource pool, PostgresSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * Connects, checks the server, and brings the schema up to date (Flyway; a concurrent migration by another
     * process waits on Flyway's own lock).
     *
     * @param migrations where Flyway looks for migrations: Flywheel's modules and plug-in jars on the user's classpath
     * @throws FlywheelException UNAVAILABLE naming the server and the cause (unreachable, wrong password, no such
     *                           database, too old), never the password
     */
    public static PostgresMetadataStore open(PostgresSettings settings, ClassLoader migrations) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setPoolName("flywheel-metadata-postgres");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        config.setInitializationFailTimeout(1); // fail at open, with the server's reason, rather than at first use
        config.addDataSourceProperty("ApplicationName", "flywheel");
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, settings.connectTimeout().toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw PostgresProblem.failure(settings.where(), settings.user(), e);
        }
        PostgresMetadataStore store = new PostgresMetadataStore(pool, settings);
        try {
            store.checkServer();
            store.migrate(migrations);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return store;
    }

    private void checkServer() {
        int version = read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
                rs.next();
                return Integer.parseInt(rs.getString(1).strip());
            }
        });
        if (version < MIN_SERVER_VERSION) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "PostgreSQL at " + settings.where() + " is version "
                    + version / 10000 + "; Flywheel needs PostgreSQL 13 or newer");
        }
    }

    private void migrate(ClassLoader migrations) {
        if (SchemaVersion.isCurrent(pool, migrations)) {
            return;
        }
        try {
            Flyway.configure(migrations)
                    .dataSource(pool)
                    .locations(MetadataStore.MIGRATIONS)
                    .outOfOrder(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            if (PostgresProblem.sqlCause(e) != null) {
                throw PostgresProblem.failure(settings.where(), settings.user(), e);
            }
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot bring the metadata store " + description()
                    + " up to date: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(TAKE_WRITE_LOCK);
                }
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private FlywheelException failure(SQLException e) {
        return PostgresProblem.failure(settings.where(), settings.user(), e);
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** {@code postgresql://host:5432/db} as user {@code u}: never the password. */
    @Override
    public String description() {
        return settings.where() + " (user " + settings.user() + ")";
    }

    public PostgresSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresMetadataStore[" + description() + "]";
    }
}
