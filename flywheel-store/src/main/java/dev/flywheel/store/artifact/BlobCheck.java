package dev.flywheel.store.artifact;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.net.URI;

/**
 * The result of {@link ArtifactStore#verify}: what the blob's location promises and what its bytes hash to now.
 *
 * @param uri            the blob checked
 * @param expectedSha256 the hash the blob was stored under
 * @param actualSha256   the hash of the bytes read now
 * @param size           the number of bytes read now
 */
public record BlobCheck(URI uri, String expectedSha256, String actualSha256, long size) {

    /** Whether the bytes are still the ones written. */
    public boolean intact() {
        return expectedSha256.equals(actualSha256);
    }

    /**
     * This check if the bytes hash to {@code recordedSha256} (the hash recorded with them, which may differ from
     * the name the store gave the blob).
     *
     * @throws FlywheelException {@code CORRUPT} naming {@code what}, both hashes and the size
     */
    public BlobCheck requireIntact(String recordedSha256, String what) {
        if (!actualSha256.equals(recordedSha256)) {
            throw new FlywheelException(ErrorCode.CORRUPT, what + " is corrupt: its " + size + " bytes hash to sha256 "
                    + actualSha256 + ", but sha256 " + recordedSha256 + " was recorded when it was written."
                    + " Something changed the stored file (" + uri + ") after it was written");
        }
        return this;
    }
}
