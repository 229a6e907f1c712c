package dev.flywheel.store.artifact;

import java.net.URI;

/** A blob as stored: where, how big, and its content hash. (Stand-in until the data branch lands.) */
public record StoredBlob(URI uri, long size, String sha256) {
}
