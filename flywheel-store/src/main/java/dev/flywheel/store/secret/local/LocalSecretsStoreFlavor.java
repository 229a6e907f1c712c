package dev.flywheel.store.secret.local;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;

/** The embedded secrets store flavor {@code local}: encrypted in the metadata store, the key in an owner-only file. */
public final class LocalSecretsStoreFlavor implements Flavor<LocalSecretsStoreFlavor.Settings, SecretsStore> {
    public static final String NAME = "local";

    /** @param keyFile the AES key's file, relative to the project folder unless absolute */
    public record Settings(
            @Setting(description = "the encryption key's file (owner-only, 0600); relative to the project folder unless absolute",
                    defaultValue = "secrets.key") Path keyFile) {
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.SECRETS_STORE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AES-256-GCM encrypted in the metadata store; the key in an owner-only file of the project";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public SecretsStore create(Settings settings, FlavorContext context) {
        return new LocalSecretsStore(context.require(MetadataStore.class), context.projectFolder().resolve(settings.keyFile()), context.clock());
    }
}
