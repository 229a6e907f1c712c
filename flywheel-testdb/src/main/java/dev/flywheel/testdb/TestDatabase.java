package dev.flywheel.testdb;

import dev.flywheel.postgres.PostgresMetadataStore;
import dev.flywheel.postgres.PostgresSettings;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.PostgresServer;

import java.nio.file.Path;

/**
 * The metadata store flavors a suite runs on. A test class annotated {@link EveryMetadataStore} runs once per
 * constant, with the constant injected into a field {@code @Parameter TestDatabase database}; it opens its stores
 * with {@link #open} instead of naming a flavor.
 *
 * <p>Each project folder gets its own empty database: SQLite's file in the folder, or a PostgreSQL database of the
 * JVM's {@link PostgresServer} handed to that folder until the test ends (then emptied for the next test, which is
 * much faster than creating one). Opening the same folder again opens the same database.
 */
public enum TestDatabase {
    SQLITE {
        @Override
        public MetadataStore open(Path projectFolder) {
            return MetadataStore.openSqlite(projectFolder.resolve("flywheel.db"));
        }

        @Override
        public String spec(Path projectFolder) {
            return SQLITE_PREFIX + projectFolder.resolve("flywheel.db").toAbsolutePath();
        }

        @Override
        public Jdbc jdbc(Path projectFolder) {
            return new Jdbc("jdbc:sqlite:" + projectFolder.resolve("flywheel.db").toAbsolutePath(), null, null);
        }

        @Override
        public Jdbc emptyDatabase(Path projectFolder) {
            return jdbc(projectFolder); // a fresh folder has no file yet: SQLite creates it empty
        }
    },
    POSTGRES {
        @Override
        public MetadataStore open(Path projectFolder) {
            return openPostgres(PostgresDatabases.get().assign(projectFolder).url());
        }

        @Override
        public String spec(Path projectFolder) {
            return POSTGRES_PREFIX + PostgresDatabases.get().assign(projectFolder).url();
        }

        @Override
        public Jdbc jdbc(Path projectFolder) {
            PostgresServer.Database db = PostgresDatabases.get().assign(projectFolder);
            return new Jdbc(db.url(), db.user(), db.password());
        }

        @Override
        public Jdbc emptyDatabase(Path projectFolder) {
            PostgresServer.Database db = PostgresDatabases.get().assignEmpty(projectFolder);
            return new Jdbc(db.url(), db.user(), db.password());
        }
    };

    /** How to reach a project's database with plain JDBC (user and password null for SQLite). */
    public record Jdbc(String url, String user, String password) {
    }

    private static final String SQLITE_PREFIX = "sqlite:";
    private static final String POSTGRES_PREFIX = "postgres:";

    /** Opens (creating and migrating if needed) the metadata store of the project in {@code projectFolder}. */
    public abstract MetadataStore open(Path projectFolder);

    /**
     * How a child process opens the same store: pass this text and call {@link #openSpec} there (the child must
     * have this module on its class path).
     */
    public abstract String spec(Path projectFolder);

    /** The project's database for plain JDBC: to set up an old schema, or look behind a store's back. */
    public abstract Jdbc jdbc(Path projectFolder);

    /**
     * The project's database with no schema at all (databases are otherwise handed out already migrated), for a test
     * that builds an old schema itself. Call it before anything else opens the folder.
     */
    public abstract Jdbc emptyDatabase(Path projectFolder);

    /** Opens the store a {@link #spec} names. */
    public static MetadataStore openSpec(String spec) {
        if (spec.startsWith(SQLITE_PREFIX)) {
            return MetadataStore.openSqlite(Path.of(spec.substring(SQLITE_PREFIX.length())));
        }
        if (spec.startsWith(POSTGRES_PREFIX)) {
            return openPostgres(spec.substring(POSTGRES_PREFIX.length()));
        }
        throw new IllegalArgumentException("not a test database spec: " + spec);
    }

    private static MetadataStore openPostgres(String url) {
        return PostgresMetadataStore.open(PostgresSettings.of(url, PostgresServer.USER, PostgresServer.PASSWORD),
                TestDatabase.class.getClassLoader());
    }
}
