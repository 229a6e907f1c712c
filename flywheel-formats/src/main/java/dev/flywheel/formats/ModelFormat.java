package dev.flywheel.formats;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

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
     * Loads a model from its bytes and checks it against {@code signature}. The returned model has already
     * predicted one row, so a model that loads also runs.
     *
     * @param content   the model file's bytes, as the format's library writes them
     * @param origin    where the bytes came from (a path or artifact URI); used only in error messages
     * @param signature the inputs the caller will send, in order, and the outputs it expects
     * @throws FlywheelException with {@code INVALID_MODEL} when the bytes are corrupt, are not of this format,
     *         or do not match the signature; the message names {@code origin} and shows both sides of a mismatch
     */
    LoadedModel load(byte[] content, String origin, ModelSignature signature);

    /**
     * The tensors the file itself declares (an ONNX graph's inputs and outputs), so that a model can be imported
     * without naming its features. Formats whose files declare no such interface return empty.
     *
     * @throws FlywheelException with {@code INVALID_MODEL} when the bytes are not a readable model of this format, or
     *         declare inputs the format cannot feed; the message names {@code origin}
     */
    default Optional<GraphSignature> describe(byte[] content, String origin) {
        return Optional.empty();
    }

    /**
     * Loads a model file and checks it against {@code signature}.
     *
     * @throws FlywheelException with {@code NOT_FOUND} when the file does not exist, {@code INVALID_MODEL} when
     *         it is corrupt, is not of this format, or does not match the signature; the message names the file
     */
    default LoadedModel load(Path file, ModelSignature signature) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FlywheelException(ErrorCode.NOT_FOUND,
                    "Model file " + file.toAbsolutePath() + " does not exist; check the path or the artifact store", e);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL,
                    "Model file " + file.toAbsolutePath() + " cannot be read (" + e + "); check its permissions", e);
        }
        return load(content, file.toAbsolutePath().toString(), signature);
    }
}
