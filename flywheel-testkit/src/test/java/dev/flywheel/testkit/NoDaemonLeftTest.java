package dev.flywheel.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoDaemonLeftTest {
    @TempDir
    Path dir;

    @Test
    void aProcessNamingTheTestsFolderIsStoppedWithItsChildrenAndFailsTheTest() throws Exception {
        // A parent that ignores SIGTERM and a child of it: both must go.
        Process parent = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 600 & wait", "sh", dir.resolve("services/x").toString()).start();
        // the forked child names the folder too until it has exec'd sleep: wait for the exec
        Await.until(Duration.ofSeconds(10), "the child sleep runs",
                () -> parent.descendants().anyMatch(d -> d.info().command().map(c -> c.endsWith("sleep")).orElse(false)));
        ProcessHandle child = parent.descendants().findFirst().orElseThrow();
        assertThat(NoDaemonLeft.processesNaming(List.of(dir))).extracting(ProcessHandle::pid).containsExactly(parent.pid());

        assertThatThrownBy(() -> NoDaemonLeft.check(List.of(dir), "leaky()", 200)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leaky() left 1 process(es)").hasMessageContaining("pid " + parent.pid())
                .hasMessageContaining("now stopped");
        Await.until(Duration.ofSeconds(10), "both are gone", () -> !parent.isAlive() && !child.isAlive());
    }

    @Test
    void aFolderWhoseNameOnlyStartsTheSameIsNotTheTestsAndNothingLeftPasses() throws Exception {
        Process other = new ProcessBuilder("sleep", "600").start();
        Process similar = new ProcessBuilder("sh", "-c", "sleep 600", "sh", dir + "-other/x").start();
        try {
            assertThat(NoDaemonLeft.processesNaming(List.of(dir))).isEmpty();
            NoDaemonLeft.check(List.of(dir), "clean()", 200);
            assertThat(other.isAlive()).isTrue();
            assertThat(similar.isAlive()).isTrue();
        } finally {
            other.destroyForcibly().waitFor();
            similar.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatEndsWithinTheGraceIsNoLeak() throws Exception {
        Process ending = new ProcessBuilder("sh", "-c", "sleep 0.5", "sh", dir.toString()).start();
        NoDaemonLeft.check(List.of(dir), "ending()", 5_000);
        assertThat(ending.waitFor()).isZero();
    }
}
