package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.kubernetes.KubernetesDeployerConfig;

import java.util.Objects;
import java.util.UUID;

/**
 * Everything a manifest is made of: the service, the version it serves and where the cluster reads its file, the
 * deployer's settings, and the canary when a replace sends only a share of traffic to the new version.
 *
 * @param objectName the name of the main object ({@link ObjectNames})
 * @param service    the Flywheel service id (a label on every object)
 * @param model      the version to serve
 * @param storageUri where the cluster reads the version's file ({@code s3://bucket/blobs/ab/<sha256>})
 * @param canary     the canary, or null when the new version takes all traffic
 */
public record Rendering(String objectName, UUID service, DeploymentConfig model, String storageUri, KubernetesDeployerConfig settings,
                        Canary canary) {
    public Rendering {
        Objects.requireNonNull(objectName, "objectName");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(storageUri, "storageUri");
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * A canary: the version serving now keeps {@code 100 - percent} of traffic, the new one gets {@code percent} (or,
     * mirrored, a copy of it).
     *
     * @param previous           the version serving now
     * @param previousStorageUri where its file is
     */
    public record Canary(int percent, KubernetesDeployerConfig.CanaryMode mode, DeploymentConfig previous, String previousStorageUri) {
        public Canary {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("canary percent must be 0..100, got " + percent);
            }
        }
    }

    public String namespace() {
        return settings.namespace();
    }

    public Rendering withCanary(Canary c) {
        return new Rendering(objectName, service, model, storageUri, settings, c);
    }
}
