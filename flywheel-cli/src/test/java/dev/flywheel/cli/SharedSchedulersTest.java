package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two scheduler daemons, in two folders of one project on PostgreSQL (two machines, as far as the store can tell):
 * every fire runs exactly once, and when one daemon is killed with -9 the other keeps firing.
 */
class SharedSchedulersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final Path[] folders = new Path[2];
    private Flywheel store;

    private CliResult flywheel(int folder, String... args) {
        return CliResult.inProject(folders[folder].resolve(".flywheel"), args);
    }

    private JsonNode json(int folder, String... args) throws Exception {
        CliResult r = flywheel(folder, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @AfterEach
    void stopDaemons() {
        for (int i = 0; i < 2; i++) {
            if (folders[i] != null && Files.exists(folders[i].resolve(".flywheel"))) {
                flywheel(i, "scheduler", "stop");
            }
        }
        if (store != null) {
            Await.until(Duration.ofSeconds(60), "launched runs end", () -> fires().stream()
                    .noneMatch(f -> f.pid() != null && ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive).orElse(false)));
            store.close();
        }
    }

    private String scheduleId;

    private List<FireRecord> fires() {
        return scheduleId == null ? List.of() : store.schedules().fires(scheduleId, 1000);
    }

    @Test
    void everyFireRunsOnceAndTheSurvivorOfAKill9KeepsFiring() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase("two_schedulers");
        for (int i = 0; i < 2; i++) {
            folders[i] = Files.createDirectories(dir.resolve("machine-" + i));
            CliResult init = flywheel(i, "init", "--metadata-url", db.url(), "--db-user", db.user(), "--db-password-env",
                    SharedProjectEndToEndTest.PASSWORD_ENV);
            assertThat(init.exit()).as(init.err()).isZero();
        }
        store = Flywheel.create(cfg -> {
            cfg.home = folders[1].resolve(".flywheel");
            cfg.createIfMissing = false;
        });
        long[] pids = new long[2];
        for (int i = 0; i < 2; i++) {
            CliResult start = flywheel(i, "scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1");
            assertThat(start.exit()).as(start.err()).isZero();
            pids[i] = json(i, "scheduler", "status", "--json").get("pid").asLong();
        }
        assertThat(pids[0]).isNotEqualTo(pids[1]);

        Instant first = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Instant end = first.plusMillis(20_500); // fires at +0, +2, ... +20 s: eleven
        scheduleId = json(0, "schedules", "create", "hello", "--interval", "2s", "--start", first.toString(), "--end", end.toString(),
                "--catch-up", "ALL", "--max-concurrent", "4", "--json").get("id").asText();

        Await.until(Duration.ofSeconds(60), "the first fire is launched", () -> fires().stream().anyMatch(f -> f.state() == FireState.LAUNCHED
                || f.state().finished()));
        // kill -9 one daemon between two launches (a fire it was launching at that instant would be failed, not run twice)
        Await.until(Duration.ofSeconds(30), "no fire is being launched", () -> fires().stream().noneMatch(f -> f.state() == FireState.PENDING));
        ProcessHandle killed = ProcessHandle.of(pids[0]).orElseThrow();
        killed.destroyForcibly();
        Await.until(Duration.ofSeconds(10), "the daemon is dead", () -> !killed.isAlive());
        Instant killedAt = Instant.now();
        assertThat(flywheel(0, "scheduler", "status").out()).contains("not running");

        Await.until(Duration.ofSeconds(300), "every fire until the end ran and ended", () -> {
            List<FireRecord> f = fires();
            return Instant.now().isAfter(end) && f.size() == 11 && f.stream().allMatch(x -> x.state().finished());
        });
        List<FireRecord> all = fires();
        assertThat(all).extracting(FireRecord::fireTime).doesNotHaveDuplicates().hasSize(11);
        assertThat(all).as("every fire ran: %s", all).allMatch(f -> f.state() == FireState.SUCCEEDED);
        List<FireRecord> afterKill = all.stream().filter(f -> f.fireTime().isAfter(killedAt)).toList();
        assertThat(afterKill).as("fires after the kill").isNotEmpty()
                .allMatch(f -> f.owner().startsWith(pids[1] + "/"), "launched by the survivor");
        Map<String, Integer> runsByTrigger = new HashMap<>();
        for (RunRecord r : store.runs().list(null, 1000)) {
            runsByTrigger.merge(r.trigger(), 1, Integer::sum);
        }
        assertThat(runsByTrigger).as("one run per fire").hasSize(11).allSatisfy((trigger, n) -> assertThat(n).isEqualTo(1));
        assertThat(Optional.ofNullable(json(1, "scheduler", "status", "--json").get("pid")).map(JsonNode::asLong)).hasValue(pids[1]);
    }
}
