package dev.flywheel.store.metadata.sqlite;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.store.metadata.MetadataStore;

/** The embedded metadata store flavor {@code sqlite}: {@code flywheel.db} in the project folder. */
public final class SqliteMetadataStoreFlavor implements Flavor<SqliteMetadataStoreFlavor.Settings, MetadataStore> {
    public static final String NAME = "sqlite";
    /** The database's file name in the project folder. */
    public static final String FILE = "flywheel.db";

    /** Nothing to set: the store is the project folder's {@value #FILE}. */
    public record Settings() {
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
        return SqliteMetadataStore.open(context.projectFolder().resolve(FILE), context.classLoader());
    }
}
