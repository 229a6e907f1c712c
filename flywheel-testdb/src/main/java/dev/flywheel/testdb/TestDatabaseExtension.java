package dev.flywheel.testdb;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Gives a test's PostgreSQL databases back (emptied) once the test and its {@code @AfterEach} methods are done. */
public final class TestDatabaseExtension implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        if (PostgresDatabases.started()) {
            PostgresDatabases.get().releaseAll();
        }
    }
}
