package dev.flywheel.store.artifact.local;

import dev.flywheel.testkit.Sandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The artifact store on a disk that fills up mid-write: a real small tmpfs in a private mount namespace. */
class LocalArtifactStoreDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFillsTheDiskFailsNamingItAndLeavesNoBlobAndNoTemporaryFile() throws Exception {
        Assumptions.assumeTrue(Sandbox.available(), "needs user and mount namespaces (unshare) for a small tmpfs");
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Path root = mount.resolve("artifacts");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ArtifactWriterProcess.class.getName(),
                "fill", root.toString(), Integer.toString(4 << 20), Integer.toString(100_000)));
        Sandbox.Result r = Sandbox.create().tmpfs(mount, 2048).run(cmd, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> lines = r.output().lines().filter(l -> l.startsWith("big ") || l.startsWith("after ") || l.startsWith("small ")).toList();
        assertThat(lines).as(r.output()).hasSize(3);
        assertThat(lines.get(0)).startsWith("big error UNAVAILABLE").contains("No space left on device").contains("check free disk space");
        assertThat(lines.get(1)).as("nothing half-written is left: no blob, no temporary file").isEqualTo("after blobs=0 tmp=0");
        assertThat(lines.get(2)).as("the space is free again for the next write").startsWith("small ok ").contains("blobs/");
    }
}
