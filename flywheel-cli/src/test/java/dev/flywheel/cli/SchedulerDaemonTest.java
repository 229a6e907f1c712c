package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler daemon for real: detached processes, child runs through {@code flywheel run}, kill -9 and
 * restart, two daemons on one store. Every test stops its daemons and waits for their runs to end.
 */
@ExtendWith(NoDaemonLeft.class)
class SchedulerDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Process> foreground = new ArrayList<>();
    /** One handle for the test's own polling: opening the store per poll would run Flyway each time. */
    private Flywheel store;

    private Flywheel store() {
        if (store == null) {
            store = Flywheel.create(cfg -> {
                cfg.home = home();
                cfg.createIfMissing = false;
            });
        }
        return store;
    }


    CliResult flywheel(String... args) {
        return CliResult.inProject(home(), args);
    }

    private Path home() {
        return dir.resolve(".flywheel");
    }

    private JsonNode json(String... args) throws Exception {
        CliResult r = flywheel(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (Files.exists(home())) {
            flywheel("scheduler", "stop");
        }
        for (Process p : foreground) {
            p.destroyForcibly().waitFor();
        }
        if (store != null) {
            // no child run left behind
            Await.until(Duration.ofSeconds(60), "launched runs end", () -> activeFirePids().isEmpty());
            store.close();
        }
    }

    private List<Long> activeFirePids() {
        List<Long> pids = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        store().schedules().list().forEach(d -> sources.add(d.schedule().id()));
        store().schedules().triggers().forEach(t -> sources.add(t.id()));
        for (String source : sources) {
            for (FireRecord f : store().schedules().fires(source, 1000)) {
                if (f.pid() != null && ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    pids.add(f.pid());
                }
            }
        }
        return pids;
    }

    private List<FireRecord> fires(String sourceId) {
        return store().schedules().fires(sourceId, 1000);
    }

    private long count(List<FireRecord> fires, FireState state) {
        return fires.stream().filter(f -> f.state() == state).count();
    }

    /** How many runs each trigger text started: 1 each when no fire ran twice. */
    private Map<String, Integer> runsByTrigger() {
        Map<String, Integer> byTrigger = new HashMap<>();
        for (RunRecord r : store().runs().list(null, 1000)) {
            byTrigger.merge(r.trigger(), 1, Integer::sum);
        }
        return byTrigger;
    }

    @Test
    void intervalScheduleRunsAsChildrenAndAKilledSchedulerCatchesUpWithoutRunningAFireTwice() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        Instant first = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        // four fires: first, +3 s, +6 s, +9 s
        String id = json("schedules", "create", "hello", "--interval", "3s", "--start", first.toString(), "--end",
                first.plusMillis(10_500).toString(), "--catch-up", "ALL", "--max-concurrent", "4", "--json").get("id").asText();
        CliResult start = flywheel("scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("Scheduler running: pid");
        CliResult again = flywheel("scheduler", "start");
        assertThat(again.exit()).as("a second start is refused").isEqualTo(4);
        assertThat(again.err()).contains("already runs");

        Await.until(Duration.ofSeconds(60), "the first fire is launched", () -> !fires(id).isEmpty()
                && fires(id).getLast().state() != FireState.DEFERRED);
        long pid = json("scheduler", "status", "--json").get("pid").asLong();
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        daemon.destroyForcibly(); // kill -9
        Await.until(Duration.ofSeconds(10), "the daemon is dead", () -> !daemon.isAlive());
        assertThat(flywheel("scheduler", "status").out()).contains("not running");
        Await.until(Duration.ofSeconds(20), "two fire times pass while no scheduler runs",
                () -> Instant.now().isAfter(first.plusMillis(6_500)));

        assertThat(flywheel("scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1").exit()).isZero();
        Await.until(Duration.ofSeconds(120), "all four fires ran and ended", () -> {
            List<FireRecord> f = fires(id);
            return f.size() == 4 && f.stream().allMatch(x -> x.state().finished());
        });
        assertThat(flywheel("scheduler", "stop").out()).contains("Scheduler stopped");

        List<FireRecord> all = fires(id);
        assertThat(all).extracting(FireRecord::fireTime)
                .containsExactly(first.plusSeconds(9), first.plusSeconds(6), first.plusSeconds(3), first);
        assertThat(count(all, FireState.SUCCEEDED)).as("catch-up ALL runs every missed fire: %s", all).isEqualTo(4);
        Map<String, Integer> runs = runsByTrigger();
        assertThat(runs).hasSize(4);
        assertThat(runs.values()).allMatch(n -> n == 1);
        for (FireRecord f : all) {
            assertThat(runs).containsKey(f.trigger());
            assertThat(f.runId()).isNotBlank();
        }
        // each run records the fire that launched it and why, typed: runs describe --json shows both
        for (FireRecord f : all) {
            JsonNode run = json("runs", "describe", f.runId(), "--json").get("run");
            assertThat(run.get("fireId").asText()).isEqualTo(f.id());
            JsonNode reason = run.get("launchReason");
            assertThat(reason.get("kind").asText()).isEqualTo("scheduled");
            assertThat(reason.get("scheduleId").asText()).isEqualTo(id);
            assertThat(Instant.parse(reason.get("fireTime").asText())).isEqualTo(f.fireTime());
        }
        CliResult describe = flywheel("schedules", "describe", id);
        assertThat(describe.out()).contains("succeeded").contains("Next fire:  -");
    }

    /**
     * Issue 11's probe against the real daemon: a schedule the daemon cannot plan (the 999999999999-day interval,
     * written into the store as an older Flywheel did) and an unreadable trigger no longer stop all scheduled
     * training. They are marked broken; the good schedule keeps firing; {@code scheduler status} says the loop is
     * live - and says it is stuck while the daemon is frozen (SIGSTOP), live again once it runs (SIGCONT).
     */
    @Test
    void badRowsInTheStoreAreMarkedBrokenWhileTheDaemonKeepsFiringAndStatusTellsALiveLoopFromAStuckOne() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        String good = json("schedules", "create", "hello", "--interval", "2s", "--catch-up", "SKIP", "--json").get("id").asText();
        CliResult start = flywheel("scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("Loop:      live: last pass");
        JsonNode live = json("scheduler", "status", "--json");
        assertThat(live.get("state").asText()).isEqualTo("live");
        assertThat(live.get("heartbeatAgeMs").asLong()).isLessThan(5_000);
        assertThat(live.get("lastPassAgeMs").asLong()).isLessThan(5_000);
        Path state = home().resolve("scheduler");
        assertThat(dev.flywheel.store.PrivateFiles.permissions(state)).hasValue("rwx------");
        for (String file : List.of("scheduler.pid", "scheduler.log", "heartbeat.json")) {
            assertThat(dev.flywheel.store.PrivateFiles.permissions(state.resolve(file))).as(file).hasValue("rw-------");
        }

        store().metadata().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO schedules (id, pipeline, launch_json, schedule_json, paused, created_at, updated_at) "
                    + "VALUES ('00000000000000a1', 'hello', '{\"classpath\":\"\",\"params\":{}}', "
                    + "'{\"timing\":{\"kind\":\"interval\",\"every\":\"PT23999999999976H\"},\"start\":null,\"end\":null,"
                    + "\"catchUp\":\"LATEST\",\"maxConcurrentRuns\":1}', 0, 0, 0)")) {
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("INSERT INTO triggers (id, pipeline, kind, launch_json, config_json, state_json, max_concurrent, "
                    + "paused, created_at, updated_at) VALUES ('00000000000000b1', 'hello', 'folder', '{}', 'garbage', '{}', 1, 0, 0, 0)")) {
                return ps.executeUpdate();
            }
        });
        Instant inserted = Instant.now();
        Await.until(Duration.ofSeconds(90), "two fires of the good schedule succeed after the bad rows arrived", () ->
                fires(good).stream().filter(f -> f.fireTime().isAfter(inserted) && f.state() == FireState.SUCCEEDED).count() >= 2);

        CliResult list = flywheel("schedules", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("00000000000000a1").contains("Unreadable schedule 00000000000000a1 of hello (never fires)")
                .contains("too long").contains("flywheel schedules delete 00000000000000a1");
        assertThat(flywheel("triggers", "list").out()).contains("Unreadable trigger 00000000000000b1");
        CliResult status = flywheel("scheduler", "status");
        assertThat(status.out()).contains("Loop:      live").contains("Broken:    2 schedule(s) or trigger(s) skipped");
        assertThat(json("scheduler", "status", "--json").get("broken").asInt()).isEqualTo(2);

        long pid = json("scheduler", "status", "--json").get("pid").asLong();
        signal("STOP", pid);
        try {
            Await.until(Duration.ofSeconds(30), "status says the frozen loop is stuck",
                    () -> json("scheduler", "status", "--json").get("state").asText().equals("stuck"));
            CliResult stuck = flywheel("scheduler", "status");
            assertThat(stuck.out()).contains("Scheduler running: pid " + pid).contains("Loop:      STUCK: its loop has not passed for")
                    .contains("flywheel scheduler stop && flywheel scheduler start");
        } finally {
            signal("CONT", pid);
        }
        Await.until(Duration.ofSeconds(30), "the loop is live again",
                () -> json("scheduler", "status", "--json").get("state").asText().equals("live"));
        assertThat(flywheel("schedules", "delete", "00000000000000a1", "-y").exit()).isZero();
        assertThat(flywheel("triggers", "delete", "00000000000000b1", "-y").exit()).isZero();
        assertThat(flywheel("scheduler", "stop").out()).contains("Scheduler stopped");
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    @Test
    void filesDroppedIntoAWatchedFolderStartOneRunThatReceivesExactlyThoseFiles() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("before.csv"), "present when the trigger was created");
        CliResult created = flywheel("triggers", "create", "folder", "hello", "--folder", inbox.toString(), "--glob", "*.csv",
                "--min-files", "2", "--debounce", "300ms", "--files-param", "greet.name");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(flywheel("scheduler", "start", "--poll-interval", "100ms", "--webhook-port", "-1").exit()).isZero();

        Files.writeString(inbox.resolve("a.csv"), "x,y\n1,2\n");
        Files.writeString(inbox.resolve("b.csv"), "x,y\n3,4\n");
        Files.writeString(inbox.resolve("notes.txt"), "not matched");
        String trigger = store().schedules().triggers().getFirst().id();
        Await.until(Duration.ofSeconds(60), "the data run succeeds", () -> {
            List<FireRecord> f = fires(trigger);
            return f.size() == 1 && f.getFirst().state() == FireState.SUCCEEDED;
        });
        JsonNode run = json("runs", "list", "--json").get(0);
        assertThat(run.get("trigger").asText()).isEqualTo("data:2 files");
        String params = run.get("paramsJson").asText();
        assertThat(params).contains("a.csv").contains("b.csv").doesNotContain("before.csv").doesNotContain("notes.txt");

        CliResult list = flywheel("triggers", "list");
        assertThat(list.out()).contains("folder").contains("succeeded data:2 files");
        assertThat(json("runs", "list", "--json")).hasSize(1);
    }

    @Test
    void twoSchedulersOnOneStoreDoNotBothRunAFire() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), List.of("-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.log.dev.flywheel.schedule=info"), Main.class.getName()));
            cmd.addAll(List.of("--home", home().toString(), "scheduler", "run", "--poll-interval", "100ms", "--webhook-port", "-1",
                    "--state-dir", dir.resolve("daemon-" + i).toString()));
            foreground.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("daemon-" + i + ".log").toFile()).start());
        }
        for (int i = 0; i < 2; i++) {
            Path log = dir.resolve("daemon-" + i + ".log");
            Await.until(Duration.ofSeconds(60), "scheduler " + i + " is up", () -> Files.readString(log).contains("scheduler started"));
        }
        Instant first = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant end = first.plusMillis(2500);
        String id = json("schedules", "create", "hello", "--interval", "1s", "--start", first.toString(), "--end", end.toString(),
                "--catch-up", "ALL", "--max-concurrent", "10", "--json").get("id").asText();
        Await.until(Duration.ofSeconds(120), "every fire until the end ran and ended", () -> {
            List<FireRecord> f = fires(id);
            return Instant.now().isAfter(end) && f.size() == 3 && f.stream().allMatch(x -> x.state().finished());
        });
        List<FireRecord> all = fires(id);
        assertThat(count(all, FireState.SUCCEEDED)).isEqualTo(all.size());
        Map<String, Integer> runs = runsByTrigger();
        assertThat(runs).hasSize(all.size());
        assertThat(runs.values()).allMatch(n -> n == 1);
        assertThat(all).extracting(FireRecord::fireTime)
                .containsExactly(first.plusSeconds(2), first.plusSeconds(1), first);
    }
}
