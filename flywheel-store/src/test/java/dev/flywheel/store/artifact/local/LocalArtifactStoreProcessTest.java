package dev.flywheel.store.artifact.local;

import dev.flywheel.store.artifact.StoredBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.flywheel.store.artifact.local.LocalArtifactStoreTest.content;
import static dev.flywheel.store.artifact.local.LocalArtifactStoreTest.files;
import static dev.flywheel.store.artifact.local.LocalArtifactStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Real child JVMs sharing one store root: killed mid-write, and writing at the same time. */
class LocalArtifactStoreProcessTest {
    @TempDir
    Path root;

    private static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ArtifactWriterProcess.class.getName());
        command.addAll(List.of(args));
        Path err = log.resolveSibling(log.getFileName() + ".err");
        return new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(err.toFile()).start();
    }

    private static void await(String what, Path log, java.util.function.BooleanSupplier condition) throws IOException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "; child stderr:\n"
                        + Files.readString(log.resolveSibling(log.getFileName() + ".err")));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // poll interval, bounded by the deadline
        }
    }

    @Test
    void processKilledMidWriteLeavesOnlyATemporaryFileThatTheNextOpenRemoves() throws Exception {
        new LocalArtifactStore(root);
        Path marker = root.resolve("started");
        Path log = root.resolve("writer.log");
        Process child = start(log, "slow", root.toString(), marker.toString());
        try {
            await("the child to write its first bytes", log, () -> Files.exists(marker));
            await("a few hundred KB on disk", log, () -> tempBytes() > 300_000);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(files(root.resolve("blobs"))).as("nothing half-written looks complete").isEmpty();
        assertThat(files(root.resolve("tmp"))).hasSize(1);
        byte[] partial = Files.readAllBytes(files(root.resolve("tmp")).get(0));
        String partialSha = LocalArtifactStoreTest.sha256(partial);
        URI partialUri = root.resolve("blobs").resolve(partialSha.substring(0, 2)).resolve(partialSha).toUri();

        LocalArtifactStore sameDay = new LocalArtifactStore(root);
        assertThat(files(root.resolve("tmp"))).as("a fresh temp file may be a live writer's").hasSize(1);
        assertThat(sameDay.exists(partialUri)).as("the half-written bytes are no blob").isFalse();
        StoredBlob blob = sameDay.write(out -> out.write("still works".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(read(sameDay, blob.uri()), StandardCharsets.UTF_8)).isEqualTo("still works");

        new LocalArtifactStore(root, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30)), Duration.ofMinutes(10));
        assertThat(files(root.resolve("tmp"))).isEmpty();
        assertThat(files(root.resolve("blobs"))).containsExactly(Path.of(sameDay.locate(blob.uri())));
    }

    private long tempBytes() {
        try {
            long total = 0;
            for (Path p : files(root.resolve("tmp"))) {
                total += Files.size(p);
            }
            return total;
        } catch (IOException e) {
            return 0; // the file was renamed or removed between listing and sizing
        }
    }

    @Test
    void twoProcessesWritingSameAndDifferentContentAllSucceed() throws Exception {
        new LocalArtifactStore(root);
        Path logA = root.resolve("writer-a.log");
        Path logB = root.resolve("writer-b.log");
        Process a = start(logA, "write", root.toString(), "shared", "20");
        Process b = start(logB, "write", root.toString(), "shared", "20");
        Process c = start(root.resolve("writer-c.log"), "write", root.toString(), "own", "20");
        for (Process p : List.of(a, b, c)) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("child exit code").isZero();
        }
        List<String> urisA = Files.readAllLines(logA);
        assertThat(Files.readAllLines(logB)).isEqualTo(urisA);
        LocalArtifactStore store = new LocalArtifactStore(root);
        for (int i = 0; i < 20; i++) {
            assertThat(read(store, URI.create(urisA.get(i)))).isEqualTo(content("shared-" + i, 200_000));
        }
        assertThat(files(root.resolve("blobs"))).hasSize(40);
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }
}
