package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.Runs;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.ValueSweep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stored value type read back in a run the scheduler daemon launches as a child process ({@code flywheel
 * run}), in a project whose folder moved after the values were written; and {@code artifacts show} reading them.
 */
class ScheduledValuesTest {
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
