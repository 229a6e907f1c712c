package dev.flywheel.s3;

import java.net.URI;

/**
 * A copy put at a key of its own by {@link S3ArtifactStore#publish} (a serving layout a model runtime reads).
 *
 * @param uri      where it is: {@code s3://bucket/prefix/<key>}
 * @param key      the key relative to the store's prefix
 * @param size     its size in bytes
 * @param sha256   the SHA-256 of its bytes
 * @param uploaded false when the object was there already with these bytes, so nothing was sent
 */
public record Published(URI uri, String key, long size, String sha256, boolean uploaded) {
}
