package dev.flywheel.postgres;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.store.metadata.MetadataStore;

import java.time.Duration;

/**
 * The metadata store flavor {@code postgres}: the project lives in a PostgreSQL database that several folders and
 * machines share. Chosen by {@code flywheel init --metadata-url jdbc:postgresql://...}, which writes the settings into
 * {@code .flywheel/project.properties}; the password is always an {@code {{env.VAR}}} reference there (the secrets
 * store lives in the metadata store, so it cannot hold the key to it).
 */
public final class PostgresMetadataStoreFlavor implements Flavor<PostgresMetadataStoreFlavor.Settings, MetadataStore> {

    /** Checked again by {@link PostgresSettings} when the store is opened. */
    public record Settings(
            @Setting(description = "jdbc:postgresql://HOST:PORT/DATABASE (PostgreSQL 13+)", required = true) String url,
            @Setting(description = "the database user", required = true) String user,
            @Setting(description = "its password, as {{env.VAR}}; none for trust, peer or .pgpass", secret = true) String password,
            @Setting(description = "connections this process may hold at once", defaultValue = "8") int poolSize,
            @Setting(description = "how long to wait for the server", defaultValue = "10s") Duration connectTimeout) {
        public Settings {
            new PostgresSettings(url, user, password, poolSize, connectTimeout);
        }

        @Override
        public String toString() {
            return new PostgresSettings(url, user, password, poolSize, connectTimeout).toString();
        }
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.METADATA_STORE;
    }

    @Override
    public String name() {
        return PostgresMetadataStore.FLAVOR;
    }

    @Override
    public String description() {
        return "a PostgreSQL database shared by every folder and machine of the project (flywheel init --metadata-url)";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public MetadataStore create(Settings s, FlavorContext context) {
        return PostgresMetadataStore.open(new PostgresSettings(s.url(), s.user(), s.password(), s.poolSize(), s.connectTimeout()),
                context.classLoader());
    }
}
