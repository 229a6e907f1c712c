package dev.flywheel.store.artifact.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.BlobCheck;
import dev.flywheel.store.artifact.StoredBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalArtifactStoreTest {
    @TempDir
    Path root;

    static byte[] content(String seed, int size) {
        byte[] b = new byte[size];
        new Random(seed.hashCode()).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] read(LocalArtifactStore store, URI uri) throws IOException {
        try (InputStream in = store.open(uri)) {
            return in.readAllBytes();
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void writtenBlobReadsBackWithItsSizeAndHashAtItsContentAddress() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(root);
        byte[] bytes = content("a", 300_000);
        StoredBlob blob = store.write(out -> {
            for (byte b : bytes) {
                out.write(b); // byte-at-a-time writers must work too
            }
        });
        String sha = sha256(bytes);
        assertThat(blob.sha256()).isEqualTo(sha);
        assertThat(blob.size()).isEqualTo(bytes.length);
        assertThat(blob.uri()).as("relative to the root").isEqualTo(URI.create("blobs/" + sha.substring(0, 2) + "/" + sha));
        assertThat(Path.of(store.locate(blob.uri()))).isEqualTo(root.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha));
        assertThat(store.exists(blob.uri())).isTrue();
        assertThat(store.size(blob.uri())).isEqualTo(bytes.length);
        assertThat(read(store, blob.uri())).isEqualTo(bytes);
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void writingTheSameContentTwiceGivesTheSameBlob() {
        LocalArtifactStore store = new LocalArtifactStore(root);
        StoredBlob a = store.write(out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
        StoredBlob b = store.write(out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(b).isEqualTo(a);
        StoredBlob empty = store.write(out -> { });
        assertThat(empty.size()).isZero();
        assertThat(empty.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void openingAMissingBlobIsNotFoundWithItsUri() {
        LocalArtifactStore store = new LocalArtifactStore(root);
        URI missing = root.resolve("blobs/ab/ab" + "0".repeat(62)).toUri();
        assertThat(store.exists(missing)).isFalse();
        assertThatThrownBy(() -> store.open(missing))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void unknownSchemeAndForeignPathsAreRejectedClearly() {
        LocalArtifactStore store = new LocalArtifactStore(root);
        assertThatThrownBy(() -> store.open(URI.create("s3://bucket/blobs/ab/x")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("scheme 's3'").hasMessageContaining("reads only file: URIs");
        assertThatThrownBy(() -> store.exists(Path.of("/etc/passwd").toUri()))
                .hasMessageContaining("is not a blob of the local artifact store at " + root);
        URI escape = URI.create(root.toUri() + "blobs/ab/../../../x");
        assertThatThrownBy(() -> store.open(escape)).hasMessageContaining("is not a blob");
    }

    @Test
    void failingWriterLeavesNoBlobAndNoTemporaryFile() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(root);
        assertThatThrownBy(() -> store.write(out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("materializer bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("materializer bug");
        assertThatThrownBy(() -> store.write(out -> {
            out.write(1);
            throw new IOException("cannot serialize field 'x'");
        })).isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("cannot serialize field 'x'").hasMessageContaining("the materializer failed");
        assertThat(files(root)).isEmpty();
    }

    @Test
    void verifyDetectsABlobChangedOnDisk() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(root);
        StoredBlob blob = store.write(out -> out.write(content("v", 1000)));
        BlobCheck ok = store.verify(blob.uri());
        assertThat(ok.intact()).isTrue();
        assertThat(ok.size()).isEqualTo(1000);
        Files.write(Path.of(store.locate(blob.uri())), content("other", 1000));
        BlobCheck bad = store.verify(blob.uri());
        assertThat(bad.intact()).isFalse();
        assertThat(bad.expectedSha256()).isEqualTo(blob.sha256());
    }

    @Test
    void requireIntactNamesTheThingAndBothHashesWhenTheBytesChanged() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(root);
        StoredBlob blob = store.write(out -> out.write(content("v", 1000)));
        assertThat(store.requireIntact(blob.uri(), blob.sha256(), "artifact 42").size()).isEqualTo(1000);
        byte[] flipped = content("v", 1000);
        flipped[500] ^= 1;
        Files.write(Path.of(store.locate(blob.uri())), flipped);
        assertThatThrownBy(() -> store.requireIntact(blob.uri(), blob.sha256(), "artifact 42"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageStartingWith("artifact 42 is corrupt")
                .hasMessageContaining(blob.sha256()).hasMessageContaining(sha256(flipped));
        Files.delete(Path.of(store.locate(blob.uri())));
        assertThatThrownBy(() -> store.requireIntact(blob.uri(), blob.sha256(), "artifact 42"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(store.size(blob.uri())).isEqualTo(-1);
    }

    @Test
    void writingTheSameBytesAgainRepairsADamagedBlob() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(root);
        byte[] bytes = content("r", 5000);
        StoredBlob blob = store.write(out -> out.write(bytes));
        Path file = Path.of(store.locate(blob.uri()));
        Files.write(file, Arrays.copyOf(bytes, 100)); // cut short
        assertThat(store.write(out -> out.write(bytes))).isEqualTo(blob);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        byte[] flipped = bytes.clone();
        flipped[0] ^= 1; // same size, other bytes
        Files.write(file, flipped);
        store.write(out -> out.write(bytes));
        assertThat(store.verify(blob.uri()).intact()).isTrue();
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void aRelativeLocationResolvesAgainstWhicheverRootTheStoreHasNow() throws Exception {
        LocalArtifactStore first = new LocalArtifactStore(root.resolve("a"));
        StoredBlob blob = first.write(out -> out.write(content("m", 100)));
        Files.move(root.resolve("a"), root.resolve("moved"));
        LocalArtifactStore moved = new LocalArtifactStore(root.resolve("moved"));
        assertThat(read(moved, blob.uri())).isEqualTo(content("m", 100));
        assertThat(moved.locate(blob.uri())).isEqualTo(root.resolve("moved").resolve(blob.uri().toString()).toUri());
        assertThat(moved.exists(root.resolve("moved").resolve(blob.uri().toString()).toUri()))
                .as("an absolute URI under the root still works").isTrue();
        assertThatThrownBy(() -> moved.open(URI.create("blobs/ab/cd" + "0".repeat(62))))
                .hasMessageContaining("is not a blob location").hasMessageContaining("blobs/ab/<sha256>");
        assertThatThrownBy(() -> moved.open(URI.create("../a/" + blob.uri()))).hasMessageContaining("is not a blob location");
    }

    @Test
    void staleTemporaryFilesAreRemovedOnOpenAndFreshOnesKept() throws IOException {
        new LocalArtifactStore(root);
        Path stale = Files.write(root.resolve("tmp/stale.part"), new byte[10]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.write(root.resolve("tmp/fresh.part"), new byte[10]);
        new LocalArtifactStore(root);
        assertThat(stale).doesNotExist();
        assertThat(fresh).as("may belong to a live writer in another process").exists();
        new LocalArtifactStore(root, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11)), Duration.ofMinutes(10));
        assertThat(fresh).doesNotExist();
    }

    @Test
    void rootThatIsAFileIsRejected() throws IOException {
        Path file = Files.createFile(root.resolve("not-a-dir"));
        assertThatThrownBy(() -> new LocalArtifactStore(file)).hasMessageContaining("is a file, not a folder");
    }

    @Test
    void concurrentThreadsWritingSameAndDifferentContentAllSucceed() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(root);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<StoredBlob>> tasks = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String seed = i % 2 == 0 ? "shared" : "own-" + i;
                tasks.add(() -> store.write(out -> out.write(content(seed, 100_000))));
            }
            List<StoredBlob> blobs = new ArrayList<>();
            for (Future<StoredBlob> f : pool.invokeAll(tasks)) {
                blobs.add(f.get());
            }
            assertThat(blobs.stream().map(StoredBlob::uri).distinct()).hasSize(17);
            for (int i = 0; i < 32; i++) {
                String seed = i % 2 == 0 ? "shared" : "own-" + i;
                assertThat(read(store, blobs.get(i).uri())).isEqualTo(content(seed, 100_000));
            }
            assertThat(files(root.resolve("tmp"))).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
