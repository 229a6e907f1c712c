package dev.flywheel.s3;

import dev.flywheel.s3.internal.BlobCache;
import dev.flywheel.s3.internal.KeyedObjects;
import dev.flywheel.s3.internal.S3Failures;
import dev.flywheel.s3.internal.Uploader;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.BlobCheck;
import dev.flywheel.store.artifact.BlobWriter;
import dev.flywheel.store.artifact.StoredBlob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An artifact store in an S3 bucket (AWS, or any S3 API: MinIO, Ceph, s3proxy): blob {@code blobs/ab/<sha256>} is
 * the object {@code <prefix>blobs/ab/<sha256>}. Locations are the same relative form the local store records, so a
 * project's records do not change when its blobs move between stores.
 *
 * <p>Writing spools the value to a local file while hashing it (the key is the hash, known only at the end), skips
 * the upload when the object is already there with that size, and else uploads it so that it appears whole or not
 * at all (one PUT carrying the SHA-256 for S3 to check, or a multipart upload that is aborted on failure; uploads
 * left by a killed writer are aborted by the next store opened once {@code staleUploadAge} old).
 *
 * <p>Reading goes through a local cache of verified copies: a blob is downloaded once, hashed on the way, and kept
 * only if it hashes to its name; bytes that do not are refused as CORRUPT. {@link #verify} re-hashes the copy a
 * reader will get (downloading it first if needed).
 *
 * <p>Thread-safe; several processes and machines may share a bucket and prefix. Close it to release connections.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
    /** The flavor's name: {@code flywheel artifact-store register NAME --flavor s3 -s bucket=B}. */
    public static final String FLAVOR = "s3";
    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);
    private static final Pattern LOCATION = Pattern.compile("blobs/([0-9a-f]{2})/([0-9a-f]{64})");
    private static final int BUFFER = 1 << 16;
    private static final int DOWNLOAD_ATTEMPTS = 3;

    private final S3StoreConfig config;
    private final S3Client client;
    private final Uploader uploader;
    private final BlobCache cache;
    private final KeyedObjects keyed;
    private final String where;

    private S3ArtifactStore(S3StoreConfig config, S3Client client, Clock clock) {
        this.config = config;
        this.client = client;
        this.uploader = new Uploader(client, config.bucket(), config.multipartThreshold(), config.partSize());
        this.cache = new BlobCache(config.cacheFolder(), config.cacheMaxBytes(), clock);
        this.keyed = new KeyedObjects(client, config.bucket(), config.prefix(), uploader);
        this.where = config.root() + (config.endpoint() == null ? "" : " (" + config.endpoint() + ")");
    }

    /**
     * Connects to the bucket, checks that it can be reached, and aborts multipart uploads under the prefix that are
     * older than {@code staleUploadAge}.
     *
     * @throws FlywheelException UNAVAILABLE (or NOT_FOUND for a missing bucket) saying what to check
     */
    public static S3ArtifactStore open(S3StoreConfig config, Clock clock) {
        S3Client client = client(config);
        S3ArtifactStore store = new S3ArtifactStore(config, client, clock);
        try {
            store.checkBucket();
            store.abortStaleUploads(clock.instant().minus(config.staleUploadAge()));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static S3Client client(S3StoreConfig config) {
        AwsCredentialsProvider credentials = config.accessKeyId() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder b = S3Client.builder()
                .region(region(config))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(16));
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        return b.build();
    }

    private static Region region(S3StoreConfig config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        if (config.endpoint() == null) {
            // AWS_REGION, aws.region, the profile; not the instance metadata service, which a machine off EC2 waits
            // seconds for (on EC2, set the region)
            try {
                return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
            } catch (SdkException none) {
                // fall through
            }
        }
        return Region.US_EAST_1; // what S3-compatible stores accept, and AWS's global endpoint
    }

    private void checkBucket() {
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
        } catch (SdkException e) {
            if (S3Failures.notFound(e)) {
                throw FlywheelException.notFound("The S3 bucket '" + config.bucket() + "' does not exist at " + where(config)
                        + "; create it first, or fix the 'bucket' setting");
            }
            throw S3Failures.of("open the bucket '" + config.bucket() + "'", where(config), e);
        }
    }

    private static String where(S3StoreConfig config) {
        return config.endpoint() == null ? "AWS S3" : config.endpoint().toString();
    }

    /**
     * Aborts the multipart uploads under this store's prefix started before {@code before} (their writers died).
     *
     * @return how many were aborted
     */
    public int abortStaleUploads(java.time.Instant before) {
        try {
            return uploader.abortStale(config.prefix(), before);
        } catch (SdkException e) {
            // some S3-compatible stores do not list uploads; nothing visible is at stake, so opening goes on
            LOG.warn("Could not list unfinished multipart uploads to clean them store={} error={}", where, e.toString());
            return 0;
        }
    }

    @Override
    public StoredBlob write(BlobWriter writer) {
        Objects.requireNonNull(writer, "writer");
        Path spool = cache.newTemporaryFile();
        boolean kept = false;
        try {
            MessageDigest digest = sha256();
            long size;
            try (OutputStream file = Files.newOutputStream(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 CountingStream counted = new CountingStream(new DigestOutputStream(new SpoolStream(file), digest))) {
                try {
                    writer.writeTo(counted);
                } catch (SpoolStream.Failure e) {
                    throw e.getCause();
                } catch (IOException e) {
                    throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "could not serialize an artifact: " + e
                            + "; the materializer failed, not the artifact store - check the value and its materializer", e);
                }
                counted.flush();
                size = counted.count;
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            String key = key(sha);
            if (remoteSize(key) != size) {
                uploader.upload(spool, size, sha, key);
            }
            cache.put(spool, sha);
            kept = true;
            return new StoredBlob(location(sha), size, sha);
        } catch (SdkException e) {
            throw S3Failures.of("upload an artifact", where, e);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not write an artifact for " + where + " to the local spool "
                    + spool + ": " + e + "; check free disk space and permissions there", e);
        } finally {
            if (!kept) {
                cache.discard(spool);
            }
        }
    }

    /**
     * Puts a copy of the blob at {@code location} at {@code key} (relative to the store's prefix, outside
     * {@code blobs/}): for a reader that needs a file at a path of its choosing, such as a model runtime that looks
     * for {@code model.bst} in a folder. The bytes published are the blob's verified local copy (downloaded and
     * hashed first if needed), uploaded whole or not at all like a blob. Idempotent: when the object at the key
     * already carries the blob's SHA-256 and size, nothing is sent; other bytes there are replaced.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a key that is not a plain relative path; CORRUPT when the blob's
     *                           bytes do not hash to its name; NOT_FOUND when there is no such blob; UNAVAILABLE
     *                           when the store cannot be reached
     */
    public Published publish(URI location, String key) {
        String sha = sha(location);
        KeyedObjects.check(key);
        try {
            var there = keyed.stamp(key);
            long size = there.isPresent() && sha.equals(there.get().sha256()) ? size(location) : -1;
            if (size >= 0 && there.get().holds(sha, size)) {
                return new Published(uriOf(key), key, size, sha, false);
            }
            Path file = localCopy(location);
            size = Files.size(file);
            keyed.put(file, size, sha, key);
            LOG.info("Published a copy of an artifact location={} key={} bytes={}", location, key, size);
            return new Published(uriOf(key), key, size, sha, true);
        } catch (SdkException e) {
            throw S3Failures.of("publish artifact " + location + " at " + uriOf(key), where, e);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read the local copy of artifact " + location
                    + " to publish it at " + uriOf(key) + ": " + e + "; check free disk space and permissions under " + config.cacheFolder(), e);
        }
    }

    /**
     * Puts {@code content} at {@code key} like {@link #publish(URI, String)} (small generated files beside a published
     * copy: a runtime's settings). Idempotent the same way.
     */
    public Published publish(byte[] content, String key) {
        Objects.requireNonNull(content, "content");
        KeyedObjects.check(key);
        String sha = HexFormat.of().formatHex(sha256().digest(content));
        Path spool = cache.newTemporaryFile();
        try {
            var there = keyed.stamp(key);
            if (there.isPresent() && there.get().holds(sha, content.length)) {
                return new Published(uriOf(key), key, content.length, sha, false);
            }
            Files.write(spool, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            keyed.put(spool, content.length, sha, key);
            return new Published(uriOf(key), key, content.length, sha, true);
        } catch (SdkException e) {
            throw S3Failures.of("put an object at " + uriOf(key), where, e);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not write the local spool " + spool + " for " + uriOf(key)
                    + ": " + e + "; check free disk space and permissions there", e);
        } finally {
            cache.discard(spool);
        }
    }

    /**
     * The bytes of the object at {@code key} (put by {@link #publish(byte[], String)}), or empty when there is none.
     * Small objects only: the whole object is read into memory.
     */
    public Optional<byte[]> read(String key) {
        KeyedObjects.check(key);
        try {
            var in = keyed.get(key);
            if (in.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream body = in.get()) {
                return Optional.of(body.readAllBytes());
            }
        } catch (SdkException e) {
            throw S3Failures.of("read " + uriOf(key), where, e);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read " + uriOf(key) + " from " + where + ": " + e
                    + "; check the connection to the store", e);
        }
    }

    /** Deletes every object under the folder {@code key}/ (never blobs). @return how many were deleted */
    public int deleteFolder(String key) {
        KeyedObjects.check(key);
        try {
            return keyed.deleteAll(key);
        } catch (SdkException e) {
            throw S3Failures.of("delete the objects under " + uriOf(key), where, e);
        }
    }

    /** The URI of {@code key} (relative to the prefix): {@code s3://bucket/prefix/<key>}. */
    public URI uriOf(String key) {
        return URI.create(config.root() + KeyedObjects.check(key));
    }

    /** The object's size, or -1 when there is none. */
    private long remoteSize(String key) {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(config.bucket()).key(key));
            return head.contentLength();
        } catch (SdkException e) {
            if (S3Failures.notFound(e)) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * Opens the blob's verified local copy, downloading and checking it first when this machine has none.
     *
     * @throws FlywheelException CORRUPT when the stored bytes do not hash to the blob's name; NOT_FOUND when there is
     *                           no such object; UNAVAILABLE when the store cannot be reached
     */
    @Override
    public InputStream open(URI location) {
        String sha = sha(location);
        Path local = cache.get(sha).orElseGet(() -> {
            Downloaded d = download(location, sha);
            if (!d.sha256().equals(sha)) {
                throw corrupt(location, sha, d);
            }
            return d.file();
        });
        try {
            return new BufferedInputStream(Files.newInputStream(local), BUFFER);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not open the local copy " + local + " of artifact "
                    + location + ": " + e, e);
        }
    }

    /**
     * A file on this machine holding the blob's bytes, checked against its name (downloaded and hashed first if
     * needed): for loaders that read files, such as a model deployer.
     */
    public Path localCopy(URI location) {
        String sha = sha(location);
        BlobCheck check = verify(location);
        if (!check.intact()) {
            throw new FlywheelException(ErrorCode.CORRUPT, "artifact " + location + " in " + where + " is corrupt: its "
                    + check.size() + " bytes hash to sha256 " + check.actualSha256() + ", not " + sha);
        }
        return cache.get(sha).orElseThrow(() -> new FlywheelException(ErrorCode.UNAVAILABLE,
                "the local copy of artifact " + location + " was removed while in use; try again"));
    }

    @Override
    public boolean exists(URI location) {
        return size(location) >= 0;
    }

    @Override
    public long size(URI location) {
        String key = key(sha(location));
        try {
            return remoteSize(key);
        } catch (SdkException e) {
            throw S3Failures.of("look up artifact " + location, where, e);
        }
    }

    /**
     * Hashes the bytes a reader of this blob gets: the local copy if there is one (a damaged copy is dropped and
     * downloaded again), else the object, downloaded into the cache when intact.
     */
    @Override
    public BlobCheck verify(URI location) {
        String sha = sha(location);
        Optional<Path> cached = cache.get(sha);
        if (cached.isPresent()) {
            try {
                Hashed h = hash(cached.get());
                if (h.sha256().equals(sha)) {
                    return new BlobCheck(location, sha, h.sha256(), h.size());
                }
                LOG.warn("Dropping a damaged local copy of an artifact location={} file={}", location, cached.get());
            } catch (IOException e) {
                LOG.warn("Could not read the local copy of an artifact; downloading it again file={} error={}", cached.get(), e.toString());
            }
            cache.remove(sha);
        }
        Downloaded d = download(location, sha);
        return new BlobCheck(location, sha, d.sha256(), d.size());
    }

    private record Downloaded(Path file, String sha256, long size) {
    }

    private record Hashed(String sha256, long size) {
    }

    /**
     * Downloads the object into the cache's temporary folder while hashing it; moves it into the cache when it
     * hashes to {@code sha}, else deletes it. A connection lost mid-body is tried again, up to 3 times in all.
     */
    private Downloaded download(URI location, String sha) {
        String key = key(sha);
        SdkException lastSdk = null;
        IOException lastIo = null;
        for (int attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
            Path tmp = cache.newTemporaryFile();
            try {
                MessageDigest digest = sha256();
                long size = 0;
                try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(config.bucket()).key(key));
                     OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buffer = new byte[BUFFER];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                        size += n;
                    }
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(sha)) {
                    cache.discard(tmp);
                    return new Downloaded(null, actual, size);
                }
                return new Downloaded(cache.put(tmp, sha), actual, size);
            } catch (SdkException e) {
                cache.discard(tmp);
                if (S3Failures.notFound(e)) {
                    throw FlywheelException.notFound("artifact " + location + " does not exist in " + where
                            + "; it was deleted, or this project's artifact store changed");
                }
                lastSdk = e;
            } catch (IOException e) {
                cache.discard(tmp);
                lastIo = e;
            }
            LOG.warn("Download of an artifact failed; trying again location={} attempt={} error={}", location, attempt,
                    String.valueOf(lastSdk != null ? lastSdk : lastIo));
        }
        if (lastSdk != null) {
            throw S3Failures.of("download artifact " + location, where, lastSdk);
        }
        throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not download artifact " + location + " from " + where
                + ": " + lastIo + "; check the connection to the store and free disk space under " + config.cacheFolder(), lastIo);
    }

    private FlywheelException corrupt(URI location, String sha, Downloaded d) {
        return new FlywheelException(ErrorCode.CORRUPT, "artifact " + location + " is corrupt: the " + d.size() + " bytes of "
                + config.root() + key(sha).substring(config.prefix().length()) + " hash to sha256 " + d.sha256()
                + ", but its name is its sha256 " + sha + ". Something overwrote the object after it was written");
    }

    private static Hashed hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), size);
    }

    @Override
    public URI locate(URI location) {
        return URI.create(config.root() + "blobs/" + sha(location).substring(0, 2) + "/" + sha(location));
    }

    @Override
    public URI root() {
        return config.root();
    }

    public S3StoreConfig config() {
        return config;
    }

    /** The object key of a blob: {@code <prefix>blobs/ab/<sha256>}. */
    String key(String sha) {
        return config.prefix() + "blobs/" + sha.substring(0, 2) + "/" + sha;
    }

    private static URI location(String sha) {
        return URI.create("blobs/" + sha.substring(0, 2) + "/" + sha);
    }

    /**
     * The sha256 a location names: a location relative to the store ({@code blobs/ab/<sha256>}) or an absolute
     * {@code s3://bucket/prefix/blobs/ab/<sha256>} of this store.
     */
    private String sha(URI location) {
        Objects.requireNonNull(location, "location");
        String text = location.toString();
        String scheme = location.getScheme();
        if (scheme != null) {
            String root = config.root().toString();
            if (!scheme.toLowerCase(Locale.ROOT).equals("s3") || !text.startsWith(root)) {
                throw FlywheelException.invalid("artifact URI " + location + " is not in the S3 artifact store at " + root
                        + (scheme.equalsIgnoreCase("file") ? " (it was written by a local artifact store; use the stack whose"
                        + " artifact store wrote it, or move the project's artifacts with flywheel export/import)" : "")
                        + "; blob locations look like blobs/ab/<sha256> (relative to the store) or " + root + "blobs/ab/<sha256>");
            }
            text = text.substring(root.length());
        }
        Matcher m = LOCATION.matcher(text);
        if (!m.matches() || !m.group(1).equals(m.group(2).substring(0, 2))) {
            throw FlywheelException.invalid("artifact location '" + location + "' is not a blob location of the S3 artifact"
                    + " store at " + config.root() + "; blob locations look like blobs/ab/<sha256> (64 hex digits starting with ab)");
        }
        return m.group(2);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "this JVM has no SHA-256 MessageDigest", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + where + "]";
    }

    /** Counts what passes through; {@code close} leaves the spool file to its own try block. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(new java.io.BufferedOutputStream(out, BUFFER));
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /**
     * The spool file under a write. It marks its own I/O failures so they are told apart from a materializer's
     * (a Jackson mapping error is an IOException too): one is the disk's fault, the other the value's.
     */
    private static final class SpoolStream extends OutputStream {
        private final OutputStream file;

        SpoolStream(OutputStream file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws Failure {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws Failure {
            try {
                file.write(b, off, len);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public void flush() throws Failure {
            try {
                file.flush();
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        static final class Failure extends IOException {
            private static final long serialVersionUID = 1L;

            Failure(IOException cause) {
                super(cause);
            }

            @Override
            public synchronized IOException getCause() {
                return (IOException) super.getCause();
            }
        }
    }
}
