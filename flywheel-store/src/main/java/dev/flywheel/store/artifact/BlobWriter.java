package dev.flywheel.store.artifact;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a blob's bytes to the stream the store hands it. (Stand-in until the data branch lands.) */
@FunctionalInterface
public interface BlobWriter {
    void write(OutputStream out) throws IOException;
}
