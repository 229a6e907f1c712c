package dev.flywheel.store.metadata.sqlite;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;

/** The embedded metadata store flavor {@code sqlite}: {@code flywheel.db} in the project folder. */
public final class SqliteMetadataStoreFlavor implements Flavor<SqliteMetadataStoreFlavor.Settings, MetadataStore> {
    public static final String NAME = "sqlite";
    /** The database's file name in the project folder. */
    public static final String FILE = "flywheel.db";

    /**
     * @param path the database file, relative to the project folder unless absolute: the project's {@value #FILE}, or
     *             another file for a stack that keeps its runs and models apart ({@code flywheel metadata-store register
     *             staging-db --flavor sqlite -s path=staging.db})
     */
    public record Settings(
            @Setting(description = "the database file; relative to the project folder unless absolute", defaultValue = FILE) Path path) {
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.METADATA_STORE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a SQLite file in the project folder (WAL mode; several processes of one machine at once)";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public MetadataStore create(Settings settings, FlavorContext context) {
        Path file = context.projectFolder().resolve(settings.path() == null ? Path.of(FILE) : settings.path());
        return SqliteMetadataStore.open(file, context.classLoader());
    }
}
