package dev.flywheel.runtime;

import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Several processes (CLI, scheduler, servers) use one embedded store at the same time. */
class MultiProcessStoreTest {
    @TempDir
    Path dir;

    static Process java(Path logDir, String name, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".log").toFile())
                .start();
    }

    @Test
    void twoProcessesRunningPipelinesOnOneStoreBothSucceedWithNothingLost() throws Exception {
        Path home = dir.resolve(".flywheel");
        try (Flywheel init = Flywheel.create(cfg -> cfg.home = home)) {
            assertThat(init.runs().count(null)).isZero();
        }
        Process a = java(dir, "a", ConcurrentRunsMain.class, home.toString(), "8", "100");
        Process b = java(dir, "b", ConcurrentRunsMain.class, home.toString(), "8", "200");
        try {
            assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(a.exitValue()).as(java.nio.file.Files.readString(dir.resolve("a.log"))).isZero();
            assertThat(b.exitValue()).as(java.nio.file.Files.readString(dir.resolve("b.log"))).isZero();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }

        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            List<RunRecord> runs = flywheel.runs().list(null, 100);
            assertThat(runs).hasSize(16).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED));
            assertThat(runs).extracting(RunRecord::ownerPid).containsOnly(a.pid(), b.pid());
            List<ArtifactRecord> artifacts = flywheel.artifacts().list(null, 1000);
            assertThat(artifacts).hasSize(16 * 5);
            assertThat(artifacts).allSatisfy(x -> assertThat(flywheel.artifacts().describe(x.id()).bytesPresent()).isTrue());
        }
    }

    @Test
    void runOfAProcessKilledMidRunIsMarkedFailedNotLeftRunning() throws Exception {
        Path home = dir.resolve(".flywheel");
        Process p = java(dir, "hang", HangingRunMain.class, home.toString());
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            Await.until(Duration.ofSeconds(60), "the child process to reach its hanging step", () -> {
                assertThat(p.isAlive()).as("child alive").isTrue();
                return flywheel.runs().list(null, 1).stream().anyMatch(r -> flywheel.runs().describe(r.id()).steps().size() == 2);
            });
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            assertThat(flywheel.failAbandonedRuns()).isEqualTo(1);
            RunRecord run = flywheel.runs().list(null, 1).get(0);
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).contains("pid " + p.pid()).contains("ended before the run finished");
            assertThat(flywheel.runs().describe(run.id()).steps()).extracting(s -> s.record().status().name())
                    .containsExactlyInAnyOrder("SUCCEEDED", "FAILED");
        } finally {
            p.destroyForcibly();
        }
    }
}
