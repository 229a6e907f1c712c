package dev.flywheel.kubernetes;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.kubernetes.internal.Rendering;
import dev.flywheel.sdk.model.ModelSignature;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Model versions and renderings the cluster tests share. */
public final class Fixtures {
    public static final ModelSignature SIGNATURE = ModelSignature.regression(List.of("hour", "temp", "humidity"));
    public static final UUID SERVICE = UUID.fromString("3f2a9c1e-0b7d-4e55-9a61-2c8f0d4b7e10");
    public static final String SHA_V1 = "ab" + "0".repeat(62);
    public static final String SHA_V2 = "cd" + "1".repeat(62);

    private Fixtures() {
    }

    public static DeploymentConfig version(int version, String format) {
        return DeploymentConfig.adHoc("demand", version, format, Path.of("/tmp/demand-v" + version + ".model"), SIGNATURE,
                version == 1 ? SHA_V1 : SHA_V2);
    }

    public static String storageUri(DeploymentConfig c) {
        return "s3://flywheel-artifacts/prod/blobs/" + c.modelSha256().substring(0, 2) + "/" + c.modelSha256();
    }

    public static KubernetesDeployerConfig settings() {
        return KubernetesDeployerConfig.defaults().withNamespace("models").withServiceAccount("s3-reader").withReplicas(1, 3);
    }

    public static Rendering rendering(int version, String format, KubernetesDeployerConfig settings) {
        DeploymentConfig c = version(version, format);
        return new Rendering("demand-3f2a9c1e", SERVICE, c, storageUri(c), settings, null);
    }

    public static Rendering canary(int percent, KubernetesDeployerConfig.CanaryMode mode, String format) {
        DeploymentConfig previous = version(1, format);
        return rendering(2, format, settings()).withCanary(new Rendering.Canary(percent, mode, previous, storageUri(previous)));
    }
}
