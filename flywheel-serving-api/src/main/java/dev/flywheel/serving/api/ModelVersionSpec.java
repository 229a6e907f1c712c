package dev.flywheel.serving.api;

import dev.flywheel.sdk.model.ModelSignature;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which model version a prediction server serves: the registered model's name and version, the
 * {@code ModelFormat} name that loads the file, the file itself and the signature
 * requests are validated against.
 *
 * @param modelName  the registered model's name; it is the {@code {m}} in {@code /v2/models/{m}}
 * @param version    the model version, at least 1
 * @param format     the model format's name (for example {@code xgboost} or {@code onnx})
 * @param modelFile  the model file to load
 * @param signature  the inputs (in the order the model reads them) and outputs
 * @param sha256     the sha256 the registry recorded for the file; when set, a file with other bytes is refused at
 *                   every load (start, swap, restart). {@code null} only for files that no registry vouches for
 */
public record ModelVersionSpec(String modelName, int version, String format, Path modelFile, ModelSignature signature,
                               String sha256) {
    public ModelVersionSpec {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(signature, "signature");
        if (modelName.isBlank() || modelName.contains("/")) {
            throw new IllegalArgumentException("model name must be non-blank and contain no '/', got '" + modelName + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version);
        }
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "'");
        }
    }

    /** A file that no registry vouches for: loaded without a hash check. */
    public ModelVersionSpec(String modelName, int version, String format, Path modelFile, ModelSignature signature) {
        this(modelName, version, format, modelFile, signature, null);
    }
}
