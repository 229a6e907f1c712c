package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code flywheel run} killed with {@code kill -9}: the very next read shows it FAILED, with no later run needed. */
class KilledRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve(".flywheel");
    }

    private JsonNode json(String... args) throws Exception {
        CliResult r = CliResult.inProject(home(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void runKilledWithKill9ReadsAsFailedAtOnceAndAReusedPidIsNotTakenForItsOwner() throws Exception {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        List<String> cmd = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), List.of("-XX:TieredStopAtLevel=1"), Main.class.getName()));
        cmd.addAll(List.of("--home", home().toString(), "run", "wait", "--param", "wait_for_file.file=" + dir.resolve("never")));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(60), "the child's run and its step are RUNNING", () -> {
                assertThat(child.isAlive()).as("the run's process is alive").isTrue();
                JsonNode runs = json("runs", "list", "--json");
                if (runs.size() != 1 || !runs.get(0).get("status").asText().equals("RUNNING")) {
                    return false;
                }
                JsonNode steps = json("runs", "describe", runs.get(0).get("id").asText(), "--json").get("steps");
                return steps.size() == 1 && steps.get(0).get("record").get("status").asText().equals("RUNNING");
            });
            assertThat(json("runs", "list", "--json").get(0).get("ownerStartedAt").isNull()).isFalse();
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9
        }

        JsonNode run = json("runs", "list", "--json").get(0);
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("error").asText()).contains("pid " + child.pid()).contains("ended before the run finished");
        CliResult describe = CliResult.inProject(home(), "runs", "describe", run.get("id").asText());
        assertThat(describe.out()).contains("Status:    FAILED").containsPattern("wait_for_file\\s+FAILED");

        // A RUNNING run whose pid now belongs to another process (this JVM, started at another time) is not alive.
        try (Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = home();
            cfg.createIfMissing = false;
        })) {
            long pid = ProcessHandle.current().pid();
            Instant realStart = ProcessHandle.current().info().startInstant().orElseThrow();
            RunRecords records = new RunRecords(flywheel.metadata());
            flywheel.metadata().write(c -> {
                records.savePipeline(c, "wait", "", "{}", Instant.now());
                records.insertRun(c, new RunRecord("0000000a-0000-4000-8000-00000000000a", "wait", RunStatus.RUNNING, Instant.now(), null, "manual", "{}", null,
                        dev.flywheel.engine.run.ProcessOwner.host(), pid, realStart.minus(Duration.ofHours(1))));
                records.insertRun(c, new RunRecord("0000000b-0000-4000-8000-00000000000b", "wait", RunStatus.RUNNING, Instant.now(), null, "manual", "{}", null,
                        dev.flywheel.engine.run.ProcessOwner.host(), pid, realStart));
                return null;
            });
        }
        CliResult reused = CliResult.inProject(home(), "runs", "describe", "0000000a-0000-4000-8000-00000000000a");
        assertThat(reused.out()).as(reused.err()).contains("Status:    FAILED").contains("pid " + ProcessHandle.current().pid());
        assertThat(CliResult.inProject(home(), "runs", "describe", "0000000b-0000-4000-8000-00000000000b").out()).contains("Status:    RUNNING");
    }
}
