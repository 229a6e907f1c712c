package dev.flywheel.formats;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of a model file, and the one check every loader runs before trusting a file the registry recorded:
 * the registry (when it opens a version) and the prediction server (deploy, {@code flywheel serve}, hot swap,
 * supervisor restart) refuse the same way, naming the version and both hashes. The serving process links no artifact
 * store, so this is the model-file twin of {@code ArtifactStore.requireIntact}, with the same error code.
 */
public final class ModelChecksum {
    private ModelChecksum() {
    }

    /** Lower-case hex sha256 of {@code content}. */
    public static String of(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Refuses {@code content} unless its sha256 is {@code recorded}.
     *
     * @param model    the registered model's name
     * @param version  the registered version
     * @param location where the bytes were read (a path or URI), for the message
     * @throws FlywheelException CORRUPT (the table's code for stored bytes that no longer hash to what was recorded, as
     *         the artifact store's {@code requireIntact} uses for artifacts) naming the version, the location and both hashes
     */
    public static void verify(byte[] content, String recorded, String model, int version, String location) {
        String found = of(content);
        if (!found.equalsIgnoreCase(recorded)) {
            throw new FlywheelException(ErrorCode.CORRUPT, "The file of model '" + model + "' version " + version + " ("
                    + location + ") is corrupt, it does not match the registry: sha256 " + found + ", registered "
                    + recorded.toLowerCase(java.util.Locale.ROOT)
                    + ". It was changed or corrupted after registration, so it is not loaded; deploy another version, or import the "
                    + "original file again (flywheel models import " + model + " ...)");
        }
    }
}
