package dev.flywheel.s3;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.BlobCheck;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.testdb.S3Server;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 artifact store against a real S3 API (s3proxy) on loopback, including a network that dies mid-upload. */
class S3ArtifactStoreTest {
    private static final long MIB = 1024 * 1024;
    /** The smallest multipart settings S3 allows, so multipart paths run on a few MiB. */
    private static final long PART = 5 * MIB;

    @TempDir
    static Path serverFolder;
    private static S3Server server;
    private static S3Client direct;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverFolder);
        direct = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        direct.close();
        server.close();
    }

    private String newBucket() {
        String bucket = "b-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        return bucket;
    }

    private S3StoreConfig config(String bucket) {
        return S3StoreConfig.of(bucket, dir.resolve("cache")).withEndpoint(server.endpoint(), true).withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).withMultipart(PART, PART);
    }

    private static byte[] bytes(long size, long seed) {
        byte[] b = new byte[(int) size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> keys(String bucket) {
        return direct.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, 4096, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1, 12 * MIB + 7})
    void writtenBytesReadBackFromAnotherMachineUnderTheirContentAddress(long size) throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(size, size);
        StoredBlob blob;
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket).withPrefix("team/flywheel"), Clock.systemUTC())) {
            blob = store.write(out -> out.write(data));
        }
        assertThat(blob.sha256()).isEqualTo(sha(data));
        assertThat(blob.size()).isEqualTo(size);
        assertThat(blob.uri()).hasToString("blobs/" + blob.sha256().substring(0, 2) + "/" + blob.sha256());
        assertThat(keys(bucket)).containsExactly("team/flywheel/" + blob.uri());
        assertThat(direct.headObject(b -> b.bucket(bucket).key("team/flywheel/" + blob.uri())).contentLength()).isEqualTo(size);

        // another machine: an empty cache, so every byte comes from the bucket
        S3StoreConfig other = config(bucket).withPrefix("team/flywheel/").withCache(dir.resolve("other-cache"), 1 << 30);
        try (S3ArtifactStore store = S3ArtifactStore.open(other, Clock.systemUTC())) {
            assertThat(store.exists(blob.uri())).isTrue();
            assertThat(store.size(blob.uri())).isEqualTo(size);
            assertThat(readAll(store.open(blob.uri()))).isEqualTo(data);
            BlobCheck check = store.verify(blob.uri());
            assertThat(check.intact()).isTrue();
            assertThat(check.size()).isEqualTo(size);
            assertThat(store.locate(blob.uri())).hasToString("s3://" + bucket + "/team/flywheel/" + blob.uri());
            assertThat(readAll(store.open(store.locate(blob.uri())))).isEqualTo(data);
        }
    }

    @Test
    void theSameBytesWrittenTwiceAreUploadedOnce() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(1000, 1);
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            StoredBlob first = store.write(out -> out.write(data));
            Instant written = direct.headObject(b -> b.bucket(bucket).key(first.uri().toString())).lastModified();
            direct.putObject(b -> b.bucket(bucket).key("marker"), RequestBody.fromString("x"));
            StoredBlob second = store.write(out -> out.write(data));
            assertThat(second).isEqualTo(first);
            assertThat(direct.headObject(b -> b.bucket(bucket).key(first.uri().toString())).lastModified()).isEqualTo(written);
            assertThat(keys(bucket)).containsExactlyInAnyOrder(first.uri().toString(), "marker");
        }
    }

    @Test
    void concurrentWritersOfTheSameBytesEndWithOneWholeObject() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(6 * MIB, 7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            List<Future<StoredBlob>> writes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                writes.add(pool.submit(() -> store.write(out -> out.write(data))));
            }
            for (Future<StoredBlob> f : writes) {
                assertThat(f.get().sha256()).isEqualTo(sha(data));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys(bucket)).hasSize(1);
        assertThat(readAll(direct.getObject(b -> b.bucket(bucket).key(keys(bucket).getFirst())))).isEqualTo(data);
    }

    @Test
    void anObjectOverwrittenWithOtherBytesIsRefusedAsCorruptOnRead() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(2000, 2);
        StoredBlob blob;
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            blob = store.write(out -> out.write(data));
        }
        direct.putObject(b -> b.bucket(bucket).key(blob.uri().toString()), RequestBody.fromBytes(bytes(2000, 3)));
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket).withCache(dir.resolve("fresh"), 1 << 30), Clock.systemUTC())) {
            BlobCheck check = store.verify(blob.uri());
            assertThat(check.intact()).isFalse();
            assertThat(check.expectedSha256()).isEqualTo(blob.sha256());
            assertThatThrownBy(() -> store.requireIntact(blob.uri(), blob.sha256(), "artifact a1 (train.model of run r1)"))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                    .hasMessageContaining("artifact a1 (train.model of run r1) is corrupt")
                    .hasMessageContaining(blob.sha256()).hasMessageContaining(check.actualSha256());
            assertThatThrownBy(() -> store.open(blob.uri()))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                    .hasMessageContaining("s3://" + bucket + "/" + blob.uri());
            // nothing damaged was kept for later readers
            assertThat(Files.exists(dir.resolve("fresh/blobs").resolve(blob.sha256().substring(0, 2)).resolve(blob.sha256()))).isFalse();
        }
    }

    @Test
    void aDamagedLocalCopyIsDroppedAndDownloadedAgain() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(3000, 4);
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            StoredBlob blob = store.write(out -> out.write(data));
            Path copy = dir.resolve("cache/blobs").resolve(blob.sha256().substring(0, 2)).resolve(blob.sha256());
            assertThat(copy).exists();
            Files.write(copy, bytes(3000, 5));
            assertThat(store.verify(blob.uri()).intact()).isTrue();
            assertThat(Files.readAllBytes(copy)).isEqualTo(data);
            assertThat(readAll(store.open(blob.uri()))).isEqualTo(data);
            Files.delete(copy);
            assertThat(store.localCopy(blob.uri())).hasBinaryContent(data);
        }
    }

    @Test
    void aMissingObjectIsNotFoundAndAbsent() throws Exception {
        String bucket = newBucket();
        URI missing = URI.create("blobs/ab/ab" + "0".repeat(62));
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            assertThat(store.exists(missing)).isFalse();
            assertThat(store.size(missing)).isEqualTo(-1);
            assertThatThrownBy(() -> store.open(missing))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("does not exist in s3://" + bucket + "/");
        }
    }

    @Test
    void locationsOfOtherStoresAreRefusedSayingWhy() throws Exception {
        String bucket = newBucket();
        String sha = "ab" + "1".repeat(62);
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket).withPrefix("p"), Clock.systemUTC())) {
            assertThatThrownBy(() -> store.exists(URI.create("file:/tmp/x/blobs/ab/" + sha)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("written by a local artifact store");
            assertThatThrownBy(() -> store.exists(URI.create("s3://other-bucket/p/blobs/ab/" + sha)))
                    .hasMessageContaining("is not in the S3 artifact store at s3://" + bucket + "/p/");
            assertThatThrownBy(() -> store.exists(URI.create("blobs/cd/" + sha)))
                    .hasMessageContaining("is not a blob location");
            assertThatThrownBy(() -> store.exists(URI.create("../blobs/ab/" + sha)))
                    .hasMessageContaining("is not a blob location");
            assertThat(store.exists(URI.create("s3://" + bucket + "/p/blobs/ab/" + sha))).isFalse();
        }
    }

    @Test
    void aMaterializerFailureStoresNothingAndSaysItWasTheValue() throws Exception {
        String bucket = newBucket();
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            assertThatThrownBy(() -> store.write(out -> {
                out.write(bytes(100, 1));
                throw new IOException("cannot map field x");
            })).isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("materializer failed");
            assertThatThrownBy(() -> store.write(out -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(keys(bucket)).isEmpty();
        try (var tmp = Files.list(dir.resolve("cache/tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of("one PUT cut mid-body", 3 * MIB, MIB),
                Arguments.of("first part cut mid-body", 12 * MIB, 2_000L),
                Arguments.of("second part cut mid-body", 12 * MIB, 8 * MIB));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void anUploadCutMidwayLeavesNoObjectAndItsLeftoversAreCleanedLater(String what, long size, long cutAfter) throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(size, cutAfter);
        try (CuttingProxy proxy = new CuttingProxy(server.endpoint().getPort(), cutAfter, CuttingProxy.Direction.UPLOAD, false)) {
            S3StoreConfig throughProxy = config(bucket).withEndpoint(URI.create("http://127.0.0.1:" + proxy.port()), true);
            try (S3ArtifactStore store = S3ArtifactStore.open(throughProxy, Clock.systemUTC())) {
                assertThatThrownBy(() -> store.write(out -> out.write(data)))
                        .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                        .hasMessageContaining("Could not upload an artifact");
                assertThat(proxy.wasCut()).isTrue();
                assertThat(proxy.forwarded()).as("the cut came after the request line and headers").isGreaterThan(1_000);
            }
        }
        assertThat(keys(bucket)).as("no object, whole or partial, is visible").isEmpty();
        try (var tmp = Files.list(dir.resolve("cache/tmp"))) {
            assertThat(tmp).as("no spool file left").isEmpty();
        }
        // a multipart writer could not abort its upload (the network was gone): the next store opened once the
        // upload is stale aborts it
        MutableClock later = MutableClock.at(Instant.now().plus(Duration.ofHours(25)));
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), later)) {
            assertThat(direct.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
            StoredBlob blob = store.write(out -> out.write(data));
            assertThat(readAll(direct.getObject(b -> b.bucket(bucket).key(blob.uri().toString())))).isEqualTo(data);
        }
    }

    @Test
    void aFreshUploadIsNotTakenForStale() throws Exception {
        String bucket = newBucket();
        String uploadId = direct.createMultipartUpload(b -> b.bucket(bucket).key("blobs/ab/in-progress")).uploadId();
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            assertThat(direct.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(u -> u.uploadId()).containsExactly(uploadId);
            assertThat(store.abortStaleUploads(Instant.now().plus(Duration.ofMinutes(1)))).isEqualTo(1);
        }
        assertThat(direct.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @ParameterizedTest(name = "network heals: {0}")
    @ValueSource(booleans = {true, false})
    void aDownloadCutMidwayIsRetriedOrFailsLeavingNoPartialCopy(boolean heals) throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(4 * MIB, 11);
        StoredBlob blob;
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            blob = store.write(out -> out.write(data));
        }
        Path cache = dir.resolve("reader-cache");
        try (CuttingProxy proxy = new CuttingProxy(server.endpoint().getPort(), 2 * MIB, CuttingProxy.Direction.DOWNLOAD, heals)) {
            S3StoreConfig throughProxy = config(bucket).withEndpoint(URI.create("http://127.0.0.1:" + proxy.port()), true)
                    .withCache(cache, 1 << 30);
            try (S3ArtifactStore store = S3ArtifactStore.open(throughProxy, Clock.systemUTC())) {
                if (heals) {
                    assertThat(readAll(store.open(blob.uri()))).isEqualTo(data);
                } else {
                    assertThatThrownBy(() -> store.open(blob.uri()))
                            .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                            .hasMessageContaining("download artifact " + blob.uri());
                    assertThat(cache.resolve("blobs").resolve(blob.sha256().substring(0, 2)).resolve(blob.sha256())).doesNotExist();
                }
                assertThat(proxy.wasCut()).isTrue();
            }
        }
        try (var tmp = Files.list(cache.resolve("tmp"))) {
            assertThat(tmp).as("no partial download left").isEmpty();
        }
    }

    @Test
    void aConnectionCutOnceIsRetriedAndTheUploadCompletes() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(11 * MIB, 9);
        try (CuttingProxy proxy = new CuttingProxy(server.endpoint().getPort(), 6 * MIB, CuttingProxy.Direction.UPLOAD, true)) {
            S3StoreConfig throughProxy = config(bucket).withEndpoint(URI.create("http://127.0.0.1:" + proxy.port()), true);
            try (S3ArtifactStore store = S3ArtifactStore.open(throughProxy, Clock.systemUTC())) {
                StoredBlob blob = store.write(out -> out.write(data));
                assertThat(proxy.wasCut()).isTrue();
                assertThat(blob.sha256()).isEqualTo(sha(data));
                assertThat(readAll(direct.getObject(b -> b.bucket(bucket).key(blob.uri().toString())))).isEqualTo(data);
            }
        }
        assertThat(direct.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void aMissingBucketBadCredentialsAndNoServerAreClearErrors() throws Exception {
        assertThatThrownBy(() -> S3ArtifactStore.open(config("no-such-bucket-here"), Clock.systemUTC()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("bucket 'no-such-bucket-here' does not exist");
        String bucket = newBucket();
        assertThatThrownBy(() -> S3ArtifactStore.open(config(bucket).withCredentials(S3Server.ACCESS_KEY, "wrong-secret"), Clock.systemUTC()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("credentials").hasMessageNotContaining("wrong-secret");
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> S3ArtifactStore.open(config(bucket).withEndpoint(URI.create("http://127.0.0.1:" + closedPort), true), Clock.systemUTC()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("did not answer").hasMessageContaining("'endpoint'");
    }

    static Stream<Arguments> publishSizes() {
        return Stream.of(Arguments.of("one PUT", 300_000L), Arguments.of("multipart", 11 * MIB));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishSizes")
    void publishPutsTheBlobsBytesAtTheKeyOnceAndReplacesOtherBytesThere(String how, long size) throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(size, size);
        String key = "serving/demand/3/xgboost/model.ubj";
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket).withPrefix("team"), Clock.systemUTC())) {
            StoredBlob blob = store.write(out -> out.write(data));
            Published first = store.publish(blob.uri(), key);
            assertThat(first.uploaded()).isTrue();
            assertThat(first.uri()).hasToString("s3://" + bucket + "/team/" + key);
            assertThat(first.sha256()).isEqualTo(blob.sha256());
            assertThat(first.size()).isEqualTo(size);
            assertThat(readAll(direct.getObject(b -> b.bucket(bucket).key("team/" + key)))).isEqualTo(data);
            assertThat(direct.headObject(b -> b.bucket(bucket).key("team/" + key)).metadata()).containsEntry("sha256", blob.sha256());

            assertThat(store.publish(blob.uri(), key).uploaded()).as("same bytes already there: nothing sent").isFalse();

            direct.putObject(b -> b.bucket(bucket).key("team/" + key), RequestBody.fromBytes(bytes(1000, 9)));
            assertThat(store.publish(blob.uri(), key).uploaded()).as("other bytes there are replaced").isTrue();
            assertThat(readAll(direct.getObject(b -> b.bucket(bucket).key("team/" + key)))).isEqualTo(data);
        }
        assertThat(direct.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void publishedBytesAreReadBackAndPutOnlyWhenTheyChange() {
        String bucket = newBucket();
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            assertThat(store.read("runs/r1/spec.json")).isEmpty();
            assertThat(store.publish("{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "runs/r1/spec.json").uploaded()).isTrue();
            assertThat(store.publish("{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "runs/r1/spec.json").uploaded()).isFalse();
            assertThat(store.publish("{\"a\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "runs/r1/spec.json").uploaded()).isTrue();
            assertThat(store.read("runs/r1/spec.json")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\": 2}"));
            store.publish(new byte[0], "runs/r1/empty");
            assertThat(store.read("runs/r1/empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
            assertThat(store.deleteFolder("runs/r1")).isEqualTo(2);
            assertThat(keys(bucket)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "../x", "a/../b", "a/./b", "blobs/ab/x", "a b", "a\\b", "a/b\n", "ü/x"})
    void aKeyThatIsNotAPlainRelativePathIsRefusedAndNothingIsWritten(String key) {
        String bucket = newBucket();
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            StoredBlob blob = store.write(out -> out.write(bytes(100, 1)));
            assertThatThrownBy(() -> store.publish(blob.uri(), key))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> store.publish(new byte[1], key)).isInstanceOf(FlywheelException.class);
            assertThat(keys(bucket)).containsExactly(blob.uri().toString());
        }
    }

    @Test
    void publishingAMissingBlobSaysSoAndLeavesNothingAtTheKey() {
        String bucket = newBucket();
        URI missing = URI.create("blobs/ab/ab" + "0".repeat(62));
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            assertThatThrownBy(() -> store.publish(missing, "serving/m/1/model.onnx"))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining(missing.toString());
        }
        assertThat(keys(bucket)).isEmpty();
    }

    @Test
    void aPublishCutMidwayLeavesNoObjectAtTheKey() throws Exception {
        String bucket = newBucket();
        byte[] data = bytes(12 * MIB, 4);
        StoredBlob blob;
        try (S3ArtifactStore store = S3ArtifactStore.open(config(bucket), Clock.systemUTC())) {
            blob = store.write(out -> out.write(data));
        }
        try (CuttingProxy proxy = new CuttingProxy(server.endpoint().getPort(), 8 * MIB, CuttingProxy.Direction.UPLOAD, false)) {
            S3StoreConfig throughProxy = config(bucket).withEndpoint(URI.create("http://127.0.0.1:" + proxy.port()), true);
            try (S3ArtifactStore store = S3ArtifactStore.open(throughProxy, Clock.systemUTC())) {
                assertThatThrownBy(() -> store.publish(blob.uri(), "serving/m/1/model.onnx"))
                        .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                        .hasMessageContaining("Could not publish artifact");
                assertThat(proxy.wasCut()).isTrue();
            }
        }
        assertThat(keys(bucket)).as("no object, whole or partial, at the key").containsExactly(blob.uri().toString());
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        Path cache = dir.resolve("c");
        assertThatThrownBy(() -> S3StoreConfig.of("", cache)).hasMessageContaining("'bucket' is required");
        assertThatThrownBy(() -> S3StoreConfig.of("Upper_Case", cache)).hasMessageContaining("not an S3 bucket name");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", cache).withPrefix("a/../b")).hasMessageContaining("'prefix'");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", cache).withEndpoint(URI.create("ftp://x"), true))
                .hasMessageContaining("'endpoint'");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", cache).withCredentials("id", null))
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", cache).withMultipart(16 * MIB, MIB))
                .hasMessageContaining("'partSize'");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", cache).withMultipart(5 * MIB, 8 * MIB))
                .hasMessageContaining("'multipartThreshold'");
        assertThat(S3StoreConfig.of("ok-bucket", cache).withPrefix("/a/b").prefix()).isEqualTo("a/b/");
        assertThat(S3StoreConfig.of("ok-bucket", cache).withCredentials("id", "top-secret").toString()).doesNotContain("top-secret");
    }
}
