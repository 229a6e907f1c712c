package dev.flywheel.store.artifact;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A complete blob in an artifact store.
 *
 * @param uri    where it lives, relative to the store's root ({@code blobs/ab/<sha256>}); pass it to {@link ArtifactStore#open}
 * @param size   its length in bytes
 * @param sha256 the SHA-256 of its bytes, 64 lowercase hex digits
 */
public record StoredBlob(URI uri, long size, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public StoredBlob {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("blob size must not be negative, was " + size);
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, was '" + sha256 + "'");
        }
    }
}
