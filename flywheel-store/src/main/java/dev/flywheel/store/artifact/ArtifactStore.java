package dev.flywheel.store.artifact;

import java.io.InputStream;
import java.net.URI;

/**
 * Where artifact bytes live. Blobs are immutable and content-addressed: writing the same bytes twice yields the
 * same {@link StoredBlob}. A blob becomes visible ({@link #exists}, {@link #open}) only once it is complete, so a
 * process that dies mid-write never leaves a blob that looks whole.
 *
 * <p>Implementations are thread-safe and safe to share between processes that use the same root.
 */
public interface ArtifactStore {

    /**
     * Streams the writer's bytes into a new blob, hashing them on the way.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code UNAVAILABLE} if the store cannot be written;
     *                                            {@code INVALID_ARGUMENT} if {@code writer} throws an IOException of
     *                                            its own (it could not serialize the value); a RuntimeException from
     *                                            {@code writer} is rethrown as is. In every case nothing is stored.
     */
    StoredBlob write(BlobWriter writer);

    /**
     * Opens a blob for reading; the caller closes the stream. Contents are not re-hashed here (see {@link #verify}).
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code NOT_FOUND} if no blob has this URI; {@code INVALID_ARGUMENT}
     *                                            if the URI does not belong to this store
     */
    InputStream open(URI uri);

    /** Whether a complete blob with this URI exists. */
    boolean exists(URI uri);

    /**
     * Reads the whole blob again and compares its SHA-256 with the one its URI names.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code NOT_FOUND} if there is no such blob
     */
    BlobCheck verify(URI uri);

    /** The location of this store; every blob URI starts with it. */
    URI root();
}
