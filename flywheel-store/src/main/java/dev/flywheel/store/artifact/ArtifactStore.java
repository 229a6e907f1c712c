package dev.flywheel.store.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Where artifact bytes live. (Stand-in until the data branch lands.) */
public interface ArtifactStore {
    StoredBlob write(BlobWriter writer) throws IOException;

    InputStream open(URI uri) throws IOException;

    boolean exists(URI uri);

    String root();
}
