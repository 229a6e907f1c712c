package dev.flywheel.formats;

import dev.flywheel.sdk.model.ModelSignature;

import java.nio.file.Path;

/**
 * A kind of model file and how to load and invoke it (for example {@code xgboost} or {@code onnx}).
 * Formats are found with {@link java.util.ServiceLoader} through {@link ModelFormats}; users add their own by
 * implementing this interface and listing it in {@code META-INF/services/dev.flywheel.formats.ModelFormat}.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ModelFormat {

    /** The stable name stored with every model version (for example {@code xgboost}). */
    String name();

    /**
     * Loads a model file and checks it against {@code signature}.
     *
     * @throws dev.flywheel.sdk.FlywheelException with {@code INVALID_MODEL} when the file is corrupt, is not of
     *         this format, or does not match the signature; the message names the file and the mismatch
     */
    LoadedModel load(Path file, ModelSignature signature);
}
