package dev.flywheel.s3;

import dev.flywheel.sdk.FlywheelException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an {@link S3ArtifactStore} keeps its blobs and how it reaches them. Checked when built: every mistake is an
 * INVALID_ARGUMENT naming the setting and what it accepts.
 *
 * @param bucket             the bucket (it must exist; Flywheel does not create buckets)
 * @param prefix             the folder inside the bucket, {@code ""} for the bucket's root; kept with a trailing
 *                           {@code /}
 * @param region             the AWS region, or null for the AWS default chain ({@code AWS_REGION}, profile) and
 *                           else {@code us-east-1} (what S3-compatible stores accept)
 * @param endpoint           an endpoint override for S3-compatible stores (MinIO, Ceph, s3proxy), or null for AWS
 * @param pathStyle          address the bucket in the path ({@code http://host/bucket/key}) rather than the host name;
 *                           most S3-compatible stores need it
 * @param accessKeyId        static credentials (normally a resolved {@code {{secret.NAME.key}}}), or null for the
 *                           standard AWS chain (environment, profile, web identity, instance role)
 * @param secretAccessKey    with {@code accessKeyId}: both or neither
 * @param multipartThreshold blobs of at least this many bytes go up in parts (S3 takes at most 5 GiB in one request)
 * @param partSize           the size of each part but the last (S3's minimum is 5 MiB)
 * @param staleUploadAge     unfinished multipart uploads older than this are aborted when a store is opened (their
 *                           writer died); an upload in progress is never that old
 * @param cacheFolder        where verified local copies of blobs are kept (a blob read twice is downloaded once)
 * @param cacheMaxBytes      the cache is trimmed, oldest first, to this many bytes
 */
public record S3StoreConfig(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                            String accessKeyId, String secretAccessKey, long multipartThreshold, long partSize,
                            Duration staleUploadAge, Path cacheFolder, long cacheMaxBytes) {
    public static final long MIB = 1024L * 1024;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 16 * MIB;
    public static final long DEFAULT_PART_SIZE = 8 * MIB;
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_SINGLE_PUT = 5L * 1024 * MIB;
    public static final Duration DEFAULT_STALE_UPLOAD_AGE = Duration.ofHours(24);
    public static final long DEFAULT_CACHE_MAX_BYTES = 2048 * MIB;
    /** S3's bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3StoreConfig {
        if (bucket == null || bucket.isBlank()) {
            throw FlywheelException.invalid("setting 'bucket' is required: the S3 bucket that holds the artifacts (-s bucket=NAME)");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw FlywheelException.invalid("setting 'bucket' is '" + bucket + "', which is not an S3 bucket name: use 3-63"
                    + " lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
        prefix = normalizePrefix(prefix);
        if (region != null && region.isBlank()) {
            region = null;
        }
        if (endpoint != null) {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
                throw FlywheelException.invalid("setting 'endpoint' is '" + endpoint + "'; give the S3 API's base URL, like"
                        + " http://127.0.0.1:9000 or https://s3.example.com");
            }
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw FlywheelException.invalid("settings 'accessKeyId' and 'secretAccessKey' go together: give both (as secret"
                    + " references, -s accessKeyId={{secret.NAME.accessKeyId}}) or neither (the AWS default credential chain)");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_SINGLE_PUT) {
            throw FlywheelException.invalid("setting 'partSize' is " + partSize + " bytes; S3 takes parts of 5 MiB ("
                    + MIN_PART_SIZE + ") to 5 GiB");
        }
        if (multipartThreshold < partSize || multipartThreshold > MAX_SINGLE_PUT) {
            throw FlywheelException.invalid("setting 'multipartThreshold' is " + multipartThreshold + " bytes; it must be at"
                    + " least the part size (" + partSize + ") and at most 5 GiB, the largest single upload S3 takes");
        }
        Objects.requireNonNull(staleUploadAge, "staleUploadAge");
        if (staleUploadAge.isNegative() || staleUploadAge.isZero()) {
            throw FlywheelException.invalid("setting 'staleUploadAge' must be positive, was " + staleUploadAge);
        }
        Objects.requireNonNull(cacheFolder, "cacheFolder");
        if (cacheMaxBytes < 0) {
            throw FlywheelException.invalid("setting 'cacheMaxBytes' must not be negative, was " + cacheMaxBytes);
        }
    }

    /** A store of {@code bucket} at the bucket's root with every other setting at its default; see the {@code with} methods. */
    public static S3StoreConfig of(String bucket, Path cacheFolder) {
        return new S3StoreConfig(bucket, "", null, null, false, null, null, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE,
                DEFAULT_STALE_UPLOAD_AGE, cacheFolder, DEFAULT_CACHE_MAX_BYTES);
    }

    public S3StoreConfig withPrefix(String newPrefix) {
        return new S3StoreConfig(bucket, newPrefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                multipartThreshold, partSize, staleUploadAge, cacheFolder, cacheMaxBytes);
    }

    /** An S3-compatible store at {@code url}, addressed path-style or not. */
    public S3StoreConfig withEndpoint(URI url, boolean pathStyleAccess) {
        return new S3StoreConfig(bucket, prefix, region, url, pathStyleAccess, accessKeyId, secretAccessKey,
                multipartThreshold, partSize, staleUploadAge, cacheFolder, cacheMaxBytes);
    }

    public S3StoreConfig withRegion(String newRegion) {
        return new S3StoreConfig(bucket, prefix, newRegion, endpoint, pathStyle, accessKeyId, secretAccessKey,
                multipartThreshold, partSize, staleUploadAge, cacheFolder, cacheMaxBytes);
    }

    public S3StoreConfig withCredentials(String keyId, String secretKey) {
        return new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, keyId, secretKey,
                multipartThreshold, partSize, staleUploadAge, cacheFolder, cacheMaxBytes);
    }

    public S3StoreConfig withMultipart(long threshold, long part) {
        return new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                threshold, part, staleUploadAge, cacheFolder, cacheMaxBytes);
    }

    public S3StoreConfig withStaleUploadAge(Duration age) {
        return new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                multipartThreshold, partSize, age, cacheFolder, cacheMaxBytes);
    }

    public S3StoreConfig withCache(Path folder, long maxBytes) {
        return new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                multipartThreshold, partSize, staleUploadAge, folder, maxBytes);
    }

    /** The store's root as people read it: {@code s3://bucket/prefix/}. */
    public URI root() {
        return URI.create("s3://" + bucket + "/" + prefix);
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (p.contains("//") || p.contains("\\") || p.contains("..") || p.chars().anyMatch(Character::isISOControl)) {
            throw FlywheelException.invalid("setting 'prefix' is '" + prefix + "'; give a folder inside the bucket like"
                    + " team/flywheel (no '//', '..', backslashes or control characters)");
        }
        return p.endsWith("/") ? p : p + "/";
    }

    /** Masks the secret key: records print their components. */
    @Override
    public String toString() {
        return "S3StoreConfig[" + root() + (endpoint == null ? "" : " at " + endpoint) + (pathStyle ? " path-style" : "")
                + (region == null ? "" : " region " + region) + (accessKeyId == null ? " default credentials" : " static credentials ****") + "]";
    }
}
