package dev.flywheel.testdb;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every test of the class once per metadata store flavor ({@link TestDatabase}: SQLite, then a real PostgreSQL).
 * The class declares {@code @Parameter TestDatabase database;} and opens stores with {@code database.open(folder)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
@ExtendWith(TestDatabaseExtension.class)
public @interface EveryMetadataStore {
}
