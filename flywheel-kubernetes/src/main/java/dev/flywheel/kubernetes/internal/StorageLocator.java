package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;

import java.net.URI;
import java.util.Locale;

/**
 * Where the cluster reads a version's file: the {@code storageUriTemplate} setting filled in, or else the version's
 * blob in the stack's artifact store ({@code s3://bucket/prefix/blobs/ab/<sha256>}: blobs are content-addressed, so
 * the registry's sha256 names it). A local ({@code file:}) store is refused: no pod can read this machine's disk.
 */
public final class StorageLocator {
    private final String template;
    private final ArtifactStore store;

    public StorageLocator(String template, ArtifactStore store) {
        this.template = template;
        this.store = store;
    }

    public String storageUri(DeploymentConfig c) {
        if (template != null) {
            if (template.contains("{sha256}") && c.modelSha256() == null) {
                throw FlywheelException.invalid("storageUriTemplate names {sha256}, but model '" + c.modelName() + "' version "
                        + c.modelVersion() + " has no recorded sha256; register it again");
            }
            return template.replace("{model}", c.modelName()).replace("{version}", Integer.toString(c.modelVersion()))
                    .replace("{format}", c.format().toLowerCase(Locale.ROOT))
                    .replace("{sha256}", c.modelSha256() == null ? "" : c.modelSha256().toLowerCase(Locale.ROOT));
        }
        if (c.modelSha256() == null) {
            throw FlywheelException.invalid("Model '" + c.modelName() + "' version " + c.modelVersion() + " has no recorded sha256, so its blob "
                    + "in the artifact store cannot be named; register it again, or set the deployer's storageUriTemplate");
        }
        if (store == null) {
            throw FlywheelException.invalid("The deployer knows no artifact store to point the cluster at; set its storageUriTemplate "
                    + "(e.g. -s storageUriTemplate=s3://models/{model}/{version}/)");
        }
        String sha = c.modelSha256().toLowerCase(Locale.ROOT);
        URI uri = store.locate(URI.create("blobs/" + sha.substring(0, 2) + "/" + sha));
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            throw FlywheelException.invalid("The stack's artifact store is on this machine (" + store.root() + "), which pods cannot read; "
                    + "use an S3 artifact store in the stack (flywheel artifact-store register s3 --flavor s3 ...), or set the deployer's "
                    + "storageUriTemplate to where the cluster finds model files (e.g. s3://models/{model}/{version}/)");
        }
        return uri.toString();
    }
}
