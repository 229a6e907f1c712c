package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Artifacts;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.Runs;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value type Flywheel stores goes from one step to the next unchanged: (a) in memory, (b) read back from the
 * store after the producer was cached, (c) in a run the scheduler daemon launches as a child process
 * ({@code flywheel run}) and (d) after the project folder moved; read back through {@code artifacts().load} and
 * {@code flywheel artifacts show} too.
 */
@ExtendWith(NoDaemonLeft.class)
class ValueRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path home;

    CliResult flywheel(String... args) {
        return CliResult.inProject(home, args);
    }

    @AfterEach
    void stopScheduler() throws Exception {
        if (home != null && Files.exists(home)) {
            flywheel("scheduler", "stop");
            try (Flywheel store = Flywheel.create(cfg -> {
                cfg.home = home;
                cfg.createIfMissing = false;
            })) {
                Await.until(Duration.ofSeconds(60), "launched runs end", () -> store.schedules().list().stream()
                        .flatMap(d -> store.schedules().fires(d.schedule().id(), 100).stream())
                        .noneMatch(f -> f.pid() != null && ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive).orElse(false)));
            }
        }
    }

    private static Flywheel open(Path project) {
        return Flywheel.create(cfg -> cfg.home = project.resolve(".flywheel"));
    }

    private static RunResult run(Flywheel flywheel, Pipeline pipeline) {
        return flywheel.run(pipeline, RunOptions.defaults(), RunListener.NONE);
    }

    private static Map<String, String> allOk() {
        Map<String, String> ok = new LinkedHashMap<>();
        ValueSweep.names().forEach(n -> ok.put(n, "ok"));
        return ok;
    }

    @SuppressWarnings("unchecked")
    private static void assertEveryValueArrived(Flywheel flywheel, RunResult result, StepStatus producer) {
        assertThat(result.status()).as(String.valueOf(result.steps())).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.step("produce").orElseThrow().status()).isEqualTo(producer);
        assertThat(result.step("check").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        Map<String, String> verdict = flywheel.artifacts().load(result.artifactId("check", "verdict"), Map.class);
        assertThat(verdict).isEqualTo(allOk());
    }

    @Test
    void everyStoredTypeArrivesUnchangedInMemoryFromTheStoreAndAfterTheProjectMoved() throws Exception {
        Path project = dir.resolve("project");
        try (Flywheel flywheel = open(project)) {
            RunResult inMemory = run(flywheel, ValueSweep.pipeline(1));
            assertEveryValueArrived(flywheel, inMemory, StepStatus.SUCCEEDED);

            RunResult fromStore = run(flywheel, ValueSweep.pipeline(2));
            assertEveryValueArrived(flywheel, fromStore, StepStatus.CACHED);

            ValueSweep.Values expected = ValueSweep.expected();
            for (RecordComponent c : ValueSweep.Values.class.getRecordComponents()) {
                Object loaded = flywheel.artifacts().load(fromStore.artifactId("produce", c.getName()), Object.class);
                assertThat(ValueSweep.same(c.getAccessor().invoke(expected), loaded)).as("artifacts().load of " + c.getName()).isTrue();
            }
            for (ArtifactRecord a : flywheel.artifacts().list(inMemory.runId(), 1000)) {
                assertThat(a.uri().isAbsolute()).as("recorded location of %s: %s", a.outputName(), a.uri()).isFalse();
                assertThat(a.uri().toString()).startsWith("blobs/");
            }
        }

        Path moved = dir.resolve("elsewhere").resolve("renamed");
        Files.createDirectories(moved.getParent());
        Files.move(project, moved);
        try (Flywheel flywheel = open(moved)) {
            RunResult afterMove = run(flywheel, ValueSweep.pipeline(3));
            assertEveryValueArrived(flywheel, afterMove, StepStatus.CACHED);
            Artifacts.ArtifactDescription d = flywheel.artifacts().describe(afterMove.artifactId("produce", "table"));
            assertThat(d.bytesPresent()).isTrue();
            assertThat(Path.of(d.location())).startsWith(moved);
        }
    }

    @Test
    void everyStoredTypeArrivesInAChildRunOfTheSchedulerAfterTheProjectMoved() throws Exception {
        home = dir.resolve("before").resolve(".flywheel");
        assertThat(flywheel("init").exit()).isZero();
        CliResult first = flywheel("run", ValueSweep.PIPELINE, "-p", "check.round=1");
        assertThat(first.exit()).as(first.err()).isZero();

        Path moved = dir.resolve("after");
        Files.move(dir.resolve("before"), moved);
        home = moved.resolve(".flywheel");
        Instant start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        CliResult created = flywheel("schedules", "create", ValueSweep.PIPELINE, "--interval", "1h", "--start", start.toString(),
                "-p", "check.round=2", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        String schedule = JSON.readTree(created.out()).get("id").asText();
        CliResult started = flywheel("scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1");
        assertThat(started.exit()).as(started.err()).isZero();

        try (Flywheel store = Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
        })) {
            Await.until(Duration.ofSeconds(120), "the scheduled run ends", () -> {
                List<FireRecord> fires = store.schedules().fires(schedule, 10);
                return fires.size() == 1 && fires.getFirst().state().finished();
            });
            FireRecord fire = store.schedules().fires(schedule, 10).getFirst();
            Runs.RunDescription run = store.runs().describe(fire.runId());
            assertThat(fire.state()).as("run %s: %s", fire.runId(), run.run().error()).isEqualTo(FireState.SUCCEEDED);
            assertThat(run.run().ownerPid()).as("a child process ran it").isNotEqualTo(ProcessHandle.current().pid());
            assertThat(run.steps()).extracting(s -> s.record().name() + ":" + s.record().status())
                    .containsExactlyInAnyOrder("produce:" + StepStatus.CACHED, "check:" + StepStatus.SUCCEEDED);
            ArtifactRecord verdict = store.artifacts().list(fire.runId(), 10).stream()
                    .filter(a -> a.outputName().equals("verdict")).findFirst().orElseThrow();

            CliResult show = flywheel("artifacts", "show", verdict.id(), "--json");
            assertThat(show.exit()).as(show.err()).isZero();
            JsonNode value = JSON.readTree(show.out()).get("value");
            for (String name : ValueSweep.names()) {
                assertThat(value.get(name).asText()).as(name).isEqualTo("ok");
            }
            assertThat(value.size()).isEqualTo(ValueSweep.names().size());
        }
    }
}
