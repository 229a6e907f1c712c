package dev.flywheel.deploy.local;

import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.secret.local.LocalSecretsStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/** The secrets store a project in {@code home} has (the {@code local} flavor's defaults), for deployers built by tests. */
public final class ProjectSecrets {
    private ProjectSecrets() {
    }

    public static SecretsStore in(MetadataStore metadata, Path home) {
        return new LocalSecretsStore(metadata, home.resolve("secrets.key"), Clock.systemUTC());
    }

    public static Supplier<SecretsStore> of(MetadataStore metadata, Path home) {
        SecretsStore store = in(metadata, home);
        return () -> store;
    }
}
