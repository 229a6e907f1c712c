package dev.flywheel.store.metadata.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.SchemaVersion;
import dev.flywheel.store.metadata.SqlWork;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded metadata store flavor ({@code sqlite}): a SQLite file in WAL mode, safe for several processes at once
 * (the CLI, the scheduler, servers): writes take the database lock up front ({@code BEGIN IMMEDIATE}) and wait for
 * it up to {@link #BUSY_TIMEOUT_MS} instead of failing.
 *
 * <p>Thread-safe; one instance per process is enough. Close it to release the pool.
 */
public final class SqliteMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteMetadataStore.class);
    /** How long a writer waits for another process's write to finish before giving up. */
    public static final int BUSY_TIMEOUT_MS = 30_000;

    private final HikariDataSource pool;
    private final String description;
    private final Path file;
    private final boolean readOnly;
    private final ClassLoader migrations;

    private SqliteMetadataStore(HikariDataSource pool, String description, Path file, boolean readOnly, ClassLoader migrations) {
        this.pool = pool;
        this.description = description;
        this.file = file;
        this.readOnly = readOnly;
        this.migrations = migrations;
    }

    /**
     * Opens (creating if needed) the SQLite store at {@code dbFile} and brings its schema up to date. The file, its
     * WAL and shared-memory files are owner-only ({@code 0600}); a store found more open is tightened. A store whose
     * file or folder cannot be written is opened read-only: reads work, writes fail naming the cause.
     *
     * @param migrations where Flyway looks for migrations: Flywheel's modules and plug-in jars on the user's classpath
     * @throws FlywheelException UNAVAILABLE within moments (not after a pool timeout) when the file is corrupt, not
     *                           a database, unreadable or on a full disk, with a message naming the cause
     */
    public static SqliteMetadataStore open(Path dbFile, ClassLoader migrations) {
        Path db = dbFile.toAbsolutePath();
        Path folder = db.getParent();
        boolean readOnly = Files.exists(db) && !(Files.isWritable(db) && Files.isWritable(folder));
        if (!readOnly) {
            try {
                PrivateFiles.createDirectories(folder);
                PrivateFiles.createFile(db);
                for (Path p : List.of(db, walFile(db), shmFile(db))) {
                    PrivateFiles.tighten(p).ifPresent(before -> LOG.warn("metadata store file made owner-only: file={} was={}", p, before));
                }
            } catch (IOException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the metadata store " + db + ": "
                        + e.getMessage() + "; check the path and its permissions", e);
            }
        }
        SQLiteDataSource sqliteSource = dataSource(db, readOnly);
        probe(sqliteSource, db);

        HikariConfig config = new HikariConfig();
        config.setDataSource(sqliteSource);
        config.setPoolName("flywheel-metadata");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS);
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(readOnly); // else the pool asks sqlite-jdbc to flip the flag, which it refuses after open
        HikariDataSource pool = new HikariDataSource(config);
        SqliteMetadataStore store = new SqliteMetadataStore(pool, "sqlite:" + db, db, readOnly, migrations);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return store;
    }

    private static SQLiteDataSource dataSource(Path db, boolean readOnly) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        String url = "jdbc:sqlite:" + db;
        if (readOnly) {
            sqlite.setReadOnly(true);
            sqlite.setOpenMode(SQLiteOpenMode.OPEN_URI);
            // A WAL database needs its -shm file to be read; where none exists and none can be created (a read-only
            // folder), the file is read as immutable: nobody can be writing it anyway.
            boolean shared = Files.exists(shmFile(db)) && Files.exists(walFile(db));
            url = "jdbc:sqlite:" + db.toUri() + (shared ? "" : "?immutable=1");
        } else {
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl(url);
        return source;
    }

    /**
     * Opens one connection outside the pool and reads the schema: a file that is not a database, is corrupt in its
     * first pages or cannot be opened fails here at once, where the pool would retry for its whole timeout.
     */
    private static void probe(SQLiteDataSource source, Path db) {
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rs.next();
        } catch (SQLException e) {
            throw SqliteProblem.failure(db, e);
        }
    }

    static Path walFile(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    static Path shmFile(Path db) {
        return db.resolveSibling(db.getFileName() + "-shm");
    }

    /** True when this store was opened read-only because its file or folder cannot be written. */
    @Override
    public boolean readOnly() {
        return readOnly;
    }

    private void migrate() {
        if (SchemaVersion.isCurrent(pool, migrations)) {
            return;
        }
        if (readOnly) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The metadata store " + file + " needs a schema upgrade"
                    + " for this version of Flywheel, but it is read-only; make " + file.getParent() + " and its files"
                    + " writable and run any command once");
        }
        try {
            Flyway.configure(migrations)
                    .dataSource(pool)
                    .locations(MetadataStore.MIGRATIONS)
                    .outOfOrder(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            if (SqliteProblem.sqliteCause(e) != null) {
                throw SqliteProblem.failure(file, e);
            }
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot bring the metadata store " + description
                    + " up to date: " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public DataSource dataSource() {
        return pool;
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
        return SqliteProblem.failure(file, e);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }
}
