package dev.flywheel.store.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The metadata store: runs, artifacts, models, services, schedules and lineage, in one SQL database whose schema
 * Flyway owns. The embedded flavor is a SQLite file in WAL mode, safe for several processes at once (the CLI, the
 * scheduler, servers): writes take the database lock up front ({@code BEGIN IMMEDIATE}) and wait for it up to
 * {@link #BUSY_TIMEOUT_MS} instead of failing.
 *
 * <p>Thread-safe; one instance per process is enough. Close it to release the pool.
 */
public final class MetadataStore implements AutoCloseable {
    /** How long a writer waits for another process's write to finish before giving up. */
    public static final int BUSY_TIMEOUT_MS = 30_000;
    /** Flyway scans this location in every module's jar: each module ships its own tables' migrations. */
    public static final String MIGRATIONS = "classpath:db/migration/common";

    private final HikariDataSource pool;
    private final String description;

    private MetadataStore(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /** Opens (creating if needed) the SQLite store at {@code dbFile} and brings its schema up to date. */
    public static MetadataStore openSqlite(Path dbFile) {
        try {
            Files.createDirectories(dbFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the folder of the metadata store "
                    + dbFile + ": " + e.getMessage() + "; check the path and its permissions");
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl("jdbc:sqlite:" + dbFile.toAbsolutePath());

        HikariConfig config = new HikariConfig();
        config.setDataSource(sqliteSource);
        config.setPoolName("flywheel-metadata");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        MetadataStore store = new MetadataStore(pool, "sqlite:" + dbFile.toAbsolutePath());
        try {
            store.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return store;
    }

    private void migrate() {
        if (SchemaVersion.isCurrent(pool, getClass().getClassLoader())) {
            return;
        }
        try {
            Flyway.configure(getClass().getClassLoader())
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .outOfOrder(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot bring the metadata store " + description
                    + " up to date: " + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} on a connection in auto-commit mode (each statement sees committed data). */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} in one write transaction: all of it is committed, or none of it. */
    public <T> T write(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
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
        return new FlywheelException(ErrorCode.UNAVAILABLE, "Metadata store " + description + " failed: " + e.getMessage(), e);
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }
}
