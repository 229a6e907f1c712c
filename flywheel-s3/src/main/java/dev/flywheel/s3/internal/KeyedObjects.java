package dev.flywheel.s3.internal;

import dev.flywheel.sdk.FlywheelException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Objects at keys the caller chooses (beside the content-addressed blobs): a serving copy of a model in the layout
 * its runtime reads, a run's job spec. Every put goes through the {@link Uploader}, so an object appears whole or
 * not at all, and carries its SHA-256 as metadata, which is how a later put of the same bytes is skipped.
 */
public final class KeyedObjects {
    /**
     * Keys are plain relative paths of URI-safe segments (so {@code s3://bucket/prefix/<key>} needs no escaping): no
     * empty, '.' or '..' segments, never under blobs/.
     */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~=+@,-]+");

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final Uploader uploader;

    public KeyedObjects(S3Client client, String bucket, String prefix, Uploader uploader) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.uploader = uploader;
    }

    /**
     * Checks a key relative to the store's prefix.
     *
     * @throws FlywheelException INVALID_ARGUMENT saying what is wrong with it
     */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > 900) {
            throw FlywheelException.invalid("an object key must be 1 to 900 characters, got " + (key == null ? "none" : key.length()));
        }
        boolean folder = key.endsWith("/");
        String[] segments = (folder ? key.substring(0, key.length() - 1) : key).split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
                throw FlywheelException.invalid("object key '" + key + "' is not a plain relative path (segment '" + s
                        + "'); use segments like serving/demand/3/model.onnx, of letters, digits and ._~=+@,- (not '.' or '..')");
            }
        }
        if (segments[0].equals("blobs")) {
            throw FlywheelException.invalid("object key '" + key + "' is under blobs/, which holds the content-addressed artifacts; "
                    + "choose another folder");
        }
        return key;
    }

    /** The full object key of {@code key}. */
    public String objectKey(String key) {
        return prefix + check(key);
    }

    /** The SHA-256 the object at {@code key} was put with and its size, or empty when there is none (or it has no such metadata). */
    public Optional<Stamp> stamp(String key) throws SdkException {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(objectKey(key)));
            String sha = head.metadata() == null ? null : head.metadata().get("sha256");
            return Optional.of(new Stamp(sha, head.contentLength()));
        } catch (SdkException e) {
            if (S3Failures.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** What an existing object says of itself. */
    public record Stamp(String sha256, long size) {
        public boolean holds(String expectedSha256, long expectedSize) {
            return expectedSha256.equals(sha256) && size == expectedSize;
        }
    }

    /** Puts {@code file} at {@code key}, whole or not at all. */
    public void put(Path file, long size, String sha256, String key) throws IOException, SdkException {
        uploader.upload(file, size, sha256, objectKey(key));
    }

    /** Opens the object at {@code key}, or empty when there is none. */
    public Optional<ResponseInputStream<GetObjectResponse>> get(String key) throws SdkException {
        try {
            return Optional.of(client.getObject(b -> b.bucket(bucket).key(objectKey(key))));
        } catch (SdkException e) {
            if (S3Failures.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes every object under {@code folder} (a key ending in '/'). @return how many */
    public int deleteAll(String folder) throws SdkException {
        String full = objectKey(folder.endsWith("/") ? folder : folder + "/");
        int deleted = 0;
        String token = null;
        do {
            String t = token;
            var page = client.listObjectsV2(b -> b.bucket(bucket).prefix(full).continuationToken(t));
            List<String> keys = new ArrayList<>();
            for (S3Object o : page.contents()) {
                keys.add(o.key());
            }
            for (String k : keys) {
                client.deleteObject(b -> b.bucket(bucket).key(k));
                deleted++;
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return deleted;
    }
}
