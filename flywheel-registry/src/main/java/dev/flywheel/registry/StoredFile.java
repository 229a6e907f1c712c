package dev.flywheel.registry;

import java.net.URI;

/** A file of a model version in the artifact store: content-addressed, so it is never rewritten. */
public record StoredFile(URI uri, String sha256, long size) {
}
