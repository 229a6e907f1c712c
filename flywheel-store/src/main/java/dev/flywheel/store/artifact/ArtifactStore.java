package dev.flywheel.store.artifact;

import java.io.InputStream;
import java.net.URI;

/**
 * Where artifact bytes live. Blobs are immutable and content-addressed: writing the same bytes twice yields the
 * same {@link StoredBlob}. A blob becomes visible ({@link #exists}, {@link #open}) only once it is complete, so a
 * process that dies mid-write never leaves a blob that looks whole.
 *
 * <p>A blob's <em>location</em> is relative to the store's root ({@code blobs/ab/<sha256>}), never absolute: the
 * metadata store records locations, and they are resolved against the root when read, so a project folder that is
 * moved keeps working and a copied one reads its own blobs. Methods taking a location also accept an absolute
 * {@code file:} URI of a blob under this root (as written before locations were relative).
 *
 * <p>Implementations are thread-safe and safe to share between processes that use the same root.
 */
public interface ArtifactStore {

    /**
     * Streams the writer's bytes into a new blob, hashing them on the way. If a blob with the same hash already
     * exists but no longer holds those bytes (it was damaged), it is replaced by the new one.
     *
     * @return the blob, with its location relative to the root
     * @throws dev.flywheel.sdk.FlywheelException {@code UNAVAILABLE} if the store cannot be written;
     *                                            {@code INVALID_ARGUMENT} if {@code writer} throws an IOException of
     *                                            its own (it could not serialize the value); a RuntimeException from
     *                                            {@code writer} is rethrown as is. In every case nothing is stored.
     */
    StoredBlob write(BlobWriter writer);

    /**
     * Opens a blob for reading; the caller closes the stream. Contents are not re-hashed here (see
     * {@link #openVerified} and {@link #verify}).
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code NOT_FOUND} if no blob has this location; {@code INVALID_ARGUMENT}
     *                                            if the location does not belong to this store
     */
    InputStream open(URI location);

    /**
     * Reads the whole blob and checks that it hashes to {@code expectedSha256}, the hash recorded when it was
     * written. This is the one hash check of stored bytes: step inputs pass it before a materializer sees a byte,
     * and so can any other reader with a recorded hash (a model file loaded for serving).
     *
     * @param what how the error names the bytes, for example {@code "artifact 1f2e... (train.model of run 9a...)"}
     * @return the check, intact
     * @throws dev.flywheel.sdk.FlywheelException {@code CORRUPT} naming {@code what}, both hashes and the size when
     *                                            they differ; {@code NOT_FOUND} if there is no such blob
     */
    default BlobCheck requireIntact(URI location, String expectedSha256, String what) {
        return verify(location).requireIntact(expectedSha256, what);
    }

    /** Whether a complete blob exists at this location. */
    boolean exists(URI location);

    /** The blob's size in bytes now, or -1 when there is no blob at this location. */
    long size(URI location);

    /**
     * Reads the whole blob again and compares its SHA-256 with the one its location names.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code NOT_FOUND} if there is no such blob
     */
    BlobCheck verify(URI location);

    /** The absolute URI of a blob location (for people to read, and for loaders that need a file). */
    URI locate(URI location);

    /** The location of this store; every blob location is resolved against it. */
    URI root();
}
