package dev.flywheel.store.artifact;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one artifact's bytes. It need not buffer, flush or close {@code out}; the store does. */
@FunctionalInterface
public interface BlobWriter {
    void writeTo(OutputStream out) throws IOException;
}
