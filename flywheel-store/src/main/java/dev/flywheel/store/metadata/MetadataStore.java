package dev.flywheel.store.metadata;

import dev.flywheel.store.metadata.sqlite.SqliteMetadataStore;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The metadata store: runs, artifacts, models, services, schedules, stacks and lineage, in one SQL database whose
 * schema Flyway owns (every module ships its own tables' migrations under {@link #MIGRATIONS}). A component kind
 * whose flavor is chosen by the project's bootstrap file ({@code .flywheel/project.properties}), since it must be
 * open before anything else can be read: the embedded flavor is {@code sqlite}
 * ({@link SqliteMetadataStore}); a server database flavor implements the same interface over its own JDBC driver.
 *
 * <p>SQL written by the modules is portable (standard DDL, {@code INSERT ... ON CONFLICT}, epoch-millisecond
 * times). Implementations are thread-safe, safe for several processes at once, and make writes wait for a lock
 * held by another process rather than fail. Close to release connections.
 */
public interface MetadataStore extends AutoCloseable {
    /** Flyway scans this location in every module's jar: each module ships its own tables' migrations. */
    String MIGRATIONS = "classpath:db/migration/common";

    /** Opens (creating if needed) the embedded SQLite store at {@code dbFile}; see {@link SqliteMetadataStore#open}. */
    static MetadataStore openSqlite(Path dbFile) {
        return SqliteMetadataStore.open(dbFile, MetadataStore.class.getClassLoader());
    }

    /** Runs {@code work} on a connection in auto-commit mode (each statement sees committed data). */
    <T> T read(SqlWork<T> work);

    /** Runs {@code work} in one write transaction: all of it is committed, or none of it. */
    <T> T write(SqlWork<T> work);

    DataSource dataSource();

    /** True when the store can only be read (its files or the server refuse writes); writes then fail saying why. */
    boolean readOnly();

    /** Where the store is, for people: {@code sqlite:/home/me/proj/.flywheel/flywheel.db}. */
    String description();

    @Override
    void close();
}
