package dev.flywheel.deploy;

import dev.flywheel.registry.ModelRef;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to deploy and where it came from: one registered model version (its file, format and signature) and the
 * pipeline step that produced or deploys it. A deployer keys its services by (pipeline, step, model): a deploy with
 * {@code replace} updates the service of the same key instead of starting another.
 *
 * @param modelName    the registered model's name (the {@code {m}} of {@code /v2/models/{m}/infer})
 * @param modelVersion the registered version, at least 1
 * @param format       the model format's name ({@code xgboost}, {@code onnx})
 * @param modelFile    the model file; the deployer copies it, so the service survives the source being removed
 * @param signature    the model's inputs and outputs; requests are validated against it
 * @param pipelineName the pipeline that deploys it, or null for an ad-hoc deployment
 * @param runId        the run that deploys it, or null
 * @param stepName     the step that deploys it, or null
 * @param port         the port to listen on, or 0 to pick a free one
 * @param modelSha256  the sha256 the registry recorded for the file: the server refuses a file with other bytes at every
 *                     start, swap and restart. {@code null} only for files no registry vouches for (and in configs
 *                     written before it was recorded)
 * @param follows      what the service follows, as {@code flywheel models deploy} names it: a stage ({@code production}),
 *                     an alias ({@code @champion}) or a version number (fixed); when the registry moves the stage or alias,
 *                     the service is rolled out to the new version. Null means the default: {@code production} for a
 *                     pipeline's deployment (the gate promotes what it deploys), else the version itself
 */
public record DeploymentConfig(String modelName, int modelVersion, String format, Path modelFile, ModelSignature signature,
                               String pipelineName, String runId, String stepName, int port, String modelSha256, String follows) {
    public DeploymentConfig {
        Objects.requireNonNull(signature, "signature");
        if (modelName == null || modelName.isBlank() || modelName.contains("/")) {
            throw FlywheelException.invalid("Deployment needs a model name without '/', got '" + modelName + "'");
        }
        if (modelVersion < 1) {
            throw FlywheelException.invalid("Deployment of model '" + modelName + "' needs a version >= 1, got " + modelVersion);
        }
        if (format == null || format.isBlank()) {
            throw FlywheelException.invalid("Deployment of model '" + modelName + "' needs a model format (xgboost, onnx)");
        }
        if (modelFile == null) {
            throw FlywheelException.invalid("Deployment of model '" + modelName + "' version " + modelVersion + " needs a model file");
        }
        if (port < 0 || port > 65535) {
            throw FlywheelException.invalid("Port must be between 0 (pick a free one) and 65535, got " + port);
        }
        if (modelSha256 != null && !modelSha256.matches("[0-9a-fA-F]{64}")) {
            throw FlywheelException.invalid("Deployment of model '" + modelName + "' version " + modelVersion
                    + " needs the model file's sha256 as 64 hex digits, got '" + modelSha256 + "'");
        }
        modelFile = modelFile.toAbsolutePath().normalize();
        if (follows == null || follows.isBlank()) {
            follows = pipelineName != null ? "production" : Integer.toString(modelVersion);
        }
        ModelRef followed = ModelRef.parse(modelName, follows.strip());
        if (followed instanceof ModelRef.Version) {
            // A fixed service follows whatever version it serves.
            follows = Integer.toString(modelVersion);
        } else {
            follows = follows.strip();
        }
    }

    public DeploymentConfig(String modelName, int modelVersion, String format, Path modelFile, ModelSignature signature,
                            String pipelineName, String runId, String stepName, int port, String modelSha256) {
        this(modelName, modelVersion, format, modelFile, signature, pipelineName, runId, stepName, port, modelSha256, null);
    }

    public DeploymentConfig(String modelName, int modelVersion, String format, Path modelFile, ModelSignature signature,
                            String pipelineName, String runId, String stepName, int port) {
        this(modelName, modelVersion, format, modelFile, signature, pipelineName, runId, stepName, port, null, null);
    }

    /** What this service follows: a stage, an alias, or its own version (fixed). */
    public ModelRef followed() {
        return ModelRef.parse(modelName, follows);
    }

    /** The same deployment following {@code ref}: {@code production}, {@code @champion}, or a version (fixed). */
    public DeploymentConfig following(ModelRef ref) {
        String text = switch (ref) {
            case ModelRef.Version v -> Integer.toString(modelVersion);
            case ModelRef.Alias a -> "@" + a.alias();
            case ModelRef.InStage st -> st.stage().label();
        };
        return new DeploymentConfig(modelName, modelVersion, format, modelFile, signature, pipelineName, runId, stepName, port, modelSha256,
                text);
    }

    /**
     * This service (pipeline, step, run, port kept) serving {@code other}'s model: its version, file, signature and
     * hash, and following what {@code other} follows.
     */
    public DeploymentConfig servingModelOf(DeploymentConfig other) {
        return new DeploymentConfig(modelName, other.modelVersion, other.format, other.modelFile, other.signature, pipelineName, runId,
                stepName, port, other.modelSha256, other.follows);
    }

    /** An ad-hoc deployment (not from a pipeline) on a free port of a file the registry recorded with {@code sha256}. */
    public static DeploymentConfig adHoc(String modelName, int modelVersion, String format, Path modelFile, ModelSignature signature,
                                         String sha256) {
        return new DeploymentConfig(modelName, modelVersion, format, modelFile, signature, null, null, null, 0, sha256, null);
    }

    /** An ad-hoc deployment of a file no registry vouches for: served without a hash check. */
    public static DeploymentConfig adHoc(String modelName, int modelVersion, String format, Path modelFile, ModelSignature signature) {
        return adHoc(modelName, modelVersion, format, modelFile, signature, null);
    }

    /** The same deployment as done by the given pipeline step. */
    public DeploymentConfig fromStep(String pipeline, String run, String step) {
        return new DeploymentConfig(modelName, modelVersion, format, modelFile, signature, pipeline, run, step, port, modelSha256, follows);
    }

    public DeploymentConfig withPort(int newPort) {
        return new DeploymentConfig(modelName, modelVersion, format, modelFile, signature, pipelineName, runId, stepName, newPort,
                modelSha256, follows);
    }

    /** The same service key (pipeline, step, model), another version; a fixed service then follows that version. */
    public DeploymentConfig withVersion(int version, String newFormat, Path file, ModelSignature sig) {
        String keep = followed() instanceof ModelRef.Version ? null : follows;
        return new DeploymentConfig(modelName, version, newFormat, file, sig, pipelineName, runId, stepName, port, modelSha256,
                keep == null ? Integer.toString(version) : keep);
    }
}
