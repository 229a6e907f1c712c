package dev.flywheel.store.metadata;

import javax.sql.DataSource;

/**
 * Decides whether Flyway needs to run at all. Placeholder policy for now: always run Flyway (it validates and
 * applies pending migrations in one pass).
 */
final class SchemaVersion {
    private SchemaVersion() {
    }

    static boolean isCurrent(DataSource dataSource) {
        return false;
    }

    static void remember(DataSource dataSource) {
    }
}
