package dev.flywheel.store.artifact;

import java.net.URI;

/**
 * The result of {@link ArtifactStore#verify}: what the blob's URI promises and what its bytes hash to now.
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
}
