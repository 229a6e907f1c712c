package dev.flywheel.registry;

import java.net.URI;

/**
 * A file of a model version in the artifact store: content-addressed, so it is never rewritten.
 *
 * @param uri its location relative to the artifact store's root ({@code blobs/ab/<sha256>});
 *            {@link ModelRegistry#locate} resolves it
 */
public record StoredFile(URI uri, String sha256, long size) {
}
