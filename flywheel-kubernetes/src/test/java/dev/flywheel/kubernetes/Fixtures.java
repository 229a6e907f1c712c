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

    /** The kubernetes orchestrator's settings the rendered runs use: a production-like namespace, image and credentials. */
    public static KubernetesJobConfig jobSettings() {
        return dev.flywheel.sdk.flavor.FlavorSettings.bind(new KubernetesOrchestratorFlavor(), java.util.Map.of("namespace", "pipelines",
                "image", "registry.example.com/flywheel-demand:0.1.0", "serviceAccountName", "pipeline-runner",
                "env", "AWS_REGION=eu-west-1,FLYWHEEL_LOG_LEVEL=info",
                "secretEnv", "FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password,AWS_ACCESS_KEY_ID=flywheel-stores:s3-access-key,"
                        + "AWS_SECRET_ACCESS_KEY=flywheel-stores:s3-secret-key"), dev.flywheel.sdk.flavor.References.Resolver.none("fixtures"));
    }

    /** The manifests of a run of the diamond pipeline (load, then sum and describe, then report) with a fixed run id. */
    public static String renderedRun() {
        KubernetesJobOperator jobs = new KubernetesJobOperator(null, jobSettings(), java.time.Clock.systemUTC());
        return new KubernetesOrchestrator(null, jobs).render(JobTestSteps.diamond(new JobTestSteps.Config(100, false, 0),
                java.time.Duration.ofMinutes(10)), dev.flywheel.sdk.RunOptions.defaults(), "7c9e6679-7425-40de-944b-e07fc1f90ae7");
    }

    public static DeploymentConfig version(int version, String format) {
        return DeploymentConfig.adHoc("demand", version, format, Path.of("/tmp/demand-v" + version + ".model"), SIGNATURE,
                version == 1 ? SHA_V1 : SHA_V2);
    }

    /**
     * Where {@code flavor} points the cluster for {@code c} with the stack's S3 store at s3://flywheel-artifacts/prod/:
     * the serving copy's folder for KServe's and Seldon's own runtimes (ServingLayout), else the blob.
     */
    public static String storageUri(String flavor, DeploymentConfig c) {
        String base = "s3://flywheel-artifacts/prod/serving/" + c.modelName() + "/" + c.modelVersion() + "/";
        return switch (flavor + "/" + c.format()) {
            case "kserve/xgboost" -> base + "xgboost/";
            case "kserve/onnx" -> base + "triton/";
            case "seldon/xgboost" -> base + "mlserver/";
            case "seldon/onnx" -> base + "triton/" + c.modelName() + "/";
            default -> "s3://flywheel-artifacts/prod/blobs/" + c.modelSha256().substring(0, 2) + "/" + c.modelSha256();
        };
    }

    public static KubernetesDeployerConfig settings() {
        return KubernetesDeployerConfig.defaults().withNamespace("models").withServiceAccount("s3-reader").withReplicas(1, 3);
    }

    public static Rendering rendering(String flavor, int version, String format, KubernetesDeployerConfig settings) {
        DeploymentConfig c = version(version, format);
        return new Rendering("demand-3f2a9c1e", SERVICE, c, storageUri(flavor, c), settings, null);
    }

    public static Rendering canary(String flavor, int percent, KubernetesDeployerConfig.CanaryMode mode, String format) {
        DeploymentConfig previous = version(1, format);
        return rendering(flavor, 2, format, settings()).withCanary(new Rendering.Canary(percent, mode, previous, storageUri(flavor, previous)));
    }
}
