package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.ScheduleRecord;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.plan.CatchUpPlanner;
import dev.flywheel.sdk.CatchUp;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler on a real metadata store (SQLite, then PostgreSQL) with a driven clock: each test moves the clock and calls tick(). */
@EveryMetadataStore
class SchedulerTest {
    @Parameter
    TestDatabase database;

    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final MutableClock clock = MutableClock.at(T0.minusSeconds(5));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private MetadataStore store() {
        MetadataStore s = database.open(dir);
        closeables.add(s);
        return s;
    }

    private Scheduler scheduler(MetadataStore store, RunLauncher launcher, Duration misfire) {
        SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withWebhookPort(-1)
                .withPlanner(new CatchUpPlanner(misfire, 100, 1000)).withPollInterval(Duration.ofSeconds(1));
        Scheduler s = new Scheduler(store, clock, launcher, config);
        closeables.add(s);
        return s;
    }

    private void tickEverySecondUntil(Scheduler s, RecordingLauncher launcher, Instant until, boolean endRuns) {
        while (clock.instant().isBefore(until)) {
            s.tick();
            if (endRuns) {
                launcher.endAll();
            }
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void intervalScheduleFiresOncePerIntervalFromStartUntilEnd() {
        MetadataStore store = store();
        ScheduleRecord s = new Schedules(store, clock).create("hello",
                Schedule.every(Duration.ofSeconds(10)).startingAt(T0).endingAt(T0.plusSeconds(60)), LaunchSpec.of("cp"));
        RecordingLauncher launcher = new RecordingLauncher();

        tickEverySecondUntil(scheduler(store, launcher, Duration.ofMinutes(1)), launcher, T0.plusSeconds(90), true);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            expected.add("schedule:" + s.id() + "@" + T0.plusSeconds(10L * i));
        }
        assertThat(launcher.triggers()).containsExactlyElementsOf(expected);
        assertThat(launcher.launched.getFirst().request.launch().classpath()).isEqualTo("cp");
        assertThat(new Schedules(store, clock).describe(s.id(), 10).nextFire()).isEmpty();
    }

    @Test
    void aRunThatFailsIsToldToTheAlerterOnceAfterItsFireIsRecorded() {
        MetadataStore store = store();
        ScheduleRecord s = new Schedules(store, clock).create("hello", Schedule.every(Duration.ofSeconds(10)).startingAt(T0)
                .endingAt(T0.plusSeconds(5)), LaunchSpec.of("cp"));
        RecordingLauncher launcher = new RecordingLauncher();
        List<dev.flywheel.sdk.alert.Alert> alerts = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<FireState>> statesWhenTold = java.util.Collections.synchronizedList(new ArrayList<>());
        SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withWebhookPort(-1).withPollInterval(Duration.ofSeconds(1));
        Scheduler scheduler = new Scheduler(store, clock, launcher, config, dev.flywheel.schedule.WebhookSecrets.inRows(),
                dev.flywheel.schedule.trigger.ModelWatch.NONE, alert -> {
                    alerts.add(alert);
                    statesWhenTold.add(new Schedules(store, clock).fires(s.id(), 5).stream().map(FireRecord::state).toList());
                    return dev.flywheel.sdk.alert.AlertDelivery.failed("the receiver is down"); // a failed delivery changes nothing
                });
        closeables.add(scheduler);
        while (clock.instant().isBefore(T0.plusSeconds(30))) {
            scheduler.tick();
            synchronized (launcher.launched) {
                for (RecordingLauncher.Child c : launcher.launched) {
                    if (c.alive) {
                        c.end(1);
                    }
                }
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(launcher.launched).hasSize(1);
        dev.flywheel.testkit.Await.until(Duration.ofSeconds(10), "the alert, posted off the loop thread", () -> !alerts.isEmpty());
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(dev.flywheel.sdk.alert.Alert.Severity.ERROR);
            assertThat(a.title()).isEqualTo("Run of hello failed (schedule:" + s.id() + "@" + T0 + ")");
            assertThat(a.text()).contains("with exit code 1");
            assertThat(a.details()).containsEntry("pipeline", "hello").containsEntry("source", s.id());
        });
        assertThat(statesWhenTold).singleElement().as("the failed fire is recorded before the alert").satisfies(states ->
                assertThat(states).contains(FireState.FAILED));
    }

    @ParameterizedTest
    @EnumSource(CatchUp.class)
    void afterACrashTheCatchUpPolicyDecidesAndNoFireRunsTwice(CatchUp policy) {
        MetadataStore store = store();
        ScheduleRecord s = new Schedules(store, clock).create("hello",
                Schedule.every(Duration.ofSeconds(10)).startingAt(T0).catchUp(policy).maxConcurrentRuns(10), LaunchSpec.of(""));
        RecordingLauncher first = new RecordingLauncher();
        Scheduler crashed = scheduler(store, first, Duration.ofSeconds(2));
        clock.set(T0);
        crashed.tick();
        first.endAll();
        assertThat(first.triggers()).containsExactly("schedule:" + s.id() + "@" + T0);

        // The first scheduler is gone (never closed, like kill -9); fires at +10, +20, +30 are missed.
        clock.set(T0.plusSeconds(35));
        RecordingLauncher second = new RecordingLauncher();
        scheduler(store, second, Duration.ofSeconds(2)).tick();

        List<FireRecord> fires = new Schedules(store, clock).fires(s.id(), 100);
        List<Instant> launched = second.launched.stream()
                .map(c -> Instant.parse(c.request.trigger().substring(c.request.trigger().indexOf('@') + 1))).toList();
        List<Instant> skipped = fires.stream().filter(f -> f.state() == FireState.SKIPPED).map(FireRecord::fireTime).sorted().toList();
        List<Instant> missed = List.of(T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
        switch (policy) {
            case ALL -> {
                assertThat(launched).containsExactlyElementsOf(missed);
                assertThat(skipped).isEmpty();
            }
            case LATEST -> {
                assertThat(launched).containsExactly(T0.plusSeconds(30));
                assertThat(skipped).containsExactly(T0.plusSeconds(10), T0.plusSeconds(20));
            }
            case SKIP -> {
                assertThat(launched).isEmpty();
                assertThat(skipped).containsExactlyElementsOf(missed);
            }
        }
        assertThat(launched).doesNotContain(T0);
        assertThat(fires).extracting(FireRecord::fireKey).doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void twoSchedulersOnOneStoreNeverLaunchTheSameFire() throws Exception {
        ScheduleRecord s = new Schedules(store(), clock).create("hello",
                Schedule.every(Duration.ofSeconds(1)).startingAt(T0).maxConcurrentRuns(1000), LaunchSpec.of(""));
        RecordingLauncher a = new RecordingLauncher();
        RecordingLauncher b = new RecordingLauncher();
        // Two stores (two connection pools), as two daemon processes would have.
        Scheduler sa = scheduler(store(), a, Duration.ofMinutes(1));
        Scheduler sb = scheduler(store(), b, Duration.ofMinutes(1));
        clock.set(T0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 40; i++) {
                CountDownLatch go = new CountDownLatch(1);
                Future<?> fa = pool.submit(() -> {
                    go.await();
                    sa.tick();
                    return null;
                });
                Future<?> fb = pool.submit(() -> {
                    go.await();
                    sb.tick();
                    return null;
                });
                go.countDown();
                fa.get(30, TimeUnit.SECONDS);
                fb.get(30, TimeUnit.SECONDS);
                clock.advance(Duration.ofSeconds(1));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> all = new ArrayList<>(a.triggers());
        all.addAll(b.triggers());
        assertThat(all).doesNotHaveDuplicates().hasSize(40);
        assertThat(a.triggers()).isNotEmpty();
        assertThat(new Schedules(store(), clock).fires(s.id(), 100)).hasSize(40);
    }

    @Test
    void pausedScheduleDoesNotFireAndResumeDoesNotCatchUpThePause() {
        MetadataStore store = store();
        Schedules schedules = new Schedules(store, clock);
        ScheduleRecord s = schedules.create("hello", Schedule.every(Duration.ofSeconds(10)).startingAt(T0).catchUp(CatchUp.ALL),
                LaunchSpec.of(""));
        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));
        tickEverySecondUntil(scheduler, launcher, T0.plusSeconds(5), true);
        schedules.pause(s.id());
        tickEverySecondUntil(scheduler, launcher, T0.plusSeconds(45), true);
        assertThat(launcher.triggers()).hasSize(1);
        assertThat(schedules.describe(s.id(), 1).nextFire()).isEmpty();

        schedules.resume(s.id());
        tickEverySecondUntil(scheduler, launcher, T0.plusSeconds(56), true);
        assertThat(launcher.triggers()).containsExactly("schedule:" + s.id() + "@" + T0, "schedule:" + s.id() + "@" + T0.plusSeconds(50));
    }

    @Test
    void concurrencyCapDefersFiresAndLaunchesThemInOrderWhenARunEnds() {
        MetadataStore store = store();
        ScheduleRecord s = new Schedules(store, clock).create("hello",
                Schedule.every(Duration.ofSeconds(1)).startingAt(T0).maxConcurrentRuns(2), LaunchSpec.of(""));
        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));
        clock.set(T0);
        tickEverySecondUntil(scheduler, launcher, T0.plusSeconds(5), false);

        assertThat(launcher.launched).hasSize(2);
        assertThat(launcher.running()).isEqualTo(2);
        List<FireRecord> fires = new Schedules(store, clock).fires(s.id(), 10);
        assertThat(fires.stream().filter(f -> f.state() == FireState.DEFERRED)).hasSize(3);

        launcher.launched.getFirst().end(0);
        scheduler.tick();
        assertThat(launcher.launched).hasSize(3);
        assertThat(launcher.launched.get(2).request.trigger()).endsWith("@" + T0.plusSeconds(2));
        assertThat(launcher.running()).isEqualTo(2);
    }

    @Test
    void aFireRecordsTheRunItsChildStartedAndHowItEnded() {
        MetadataStore store = store();
        ScheduleRecord s = new Schedules(store, clock).create("hello", Schedule.every(Duration.ofHours(1)).startingAt(T0), LaunchSpec.of(""));
        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));
        clock.set(T0.plusMillis(300));
        scheduler.tick();
        RecordingLauncher.Child child = launcher.launched.getFirst();
        recordRun(store, "run-1", "hello", RunStatus.SUCCEEDED, child.request.trigger(), child.pid);
        child.end(0);
        scheduler.tick();

        FireRecord fire = new Schedules(store, clock).fires(s.id(), 1).getFirst();
        assertThat(fire.state()).isEqualTo(FireState.SUCCEEDED);
        assertThat(fire.runId()).isEqualTo("run-1");
        assertThat(Duration.between(fire.fireTime(), fire.launchedAt())).isEqualTo(Duration.ofMillis(300));
        assertThat(fire.reasonJson()).contains("\"kind\":\"scheduled\"").contains(s.id());

        clock.set(T0.plusSeconds(3600));
        scheduler.tick();
        launcher.launched.get(1).end(3);
        scheduler.tick();
        FireRecord failed = new Schedules(store, clock).fires(s.id(), 1).getFirst();
        assertThat(failed.state()).isEqualTo(FireState.FAILED);
        assertThat(failed.message()).contains("exit code 3").contains("without recording a run").contains(failed.logFile());
    }

    @Test
    void filesDroppedIntoAWatchedFolderStartOneRunWithExactlyThoseFiles() throws Exception {
        MetadataStore store = store();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("old.csv"), "already there");
        TriggerRecord t = new Schedules(store, clock).createTrigger("hello", new TriggerSpec.Folder(inbox.toString(), "*.csv", 2, 0,
                Duration.ofSeconds(3), "load.files"), new LaunchSpec("", Map.of("greet.times", "2")), 1);
        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));

        Files.writeString(inbox.resolve("a.csv"), "1");
        scheduler.tick();
        Files.writeString(inbox.resolve("b.csv"), "2");
        Files.writeString(inbox.resolve("ignored.txt"), "not a csv");
        clock.advance(Duration.ofSeconds(1));
        scheduler.tick();
        clock.advance(Duration.ofSeconds(2));
        scheduler.tick();
        assertThat(launcher.launched).as("debounce: b.csv changed 2 s ago").isEmpty();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            scheduler.tick();
        }

        assertThat(launcher.launched).hasSize(1);
        RunLauncher.Request r = launcher.launched.getFirst().request;
        assertThat(r.trigger()).isEqualTo("data:2 files");
        assertThat(r.params()).containsEntry("greet.times", "2")
                .containsEntry("load.files", "[\"" + inbox.resolve("a.csv") + "\",\"" + inbox.resolve("b.csv") + "\"]");
        FireRecord fire = new Schedules(store, clock).fires(t.id(), 5).getFirst();
        assertThat(fire.reasonJson()).contains("new_files").contains("a.csv").doesNotContain("old.csv");
    }

    @Test
    void aSucceededUpstreamRunStartsTheDownstreamPipelineOnce() {
        MetadataStore store = store();
        clock.set(T0);
        TriggerRecord t = new Schedules(store, clock).createTrigger("train",
                new TriggerSpec.PipelineFinished("features", Set.of(RunStatus.SUCCEEDED)), LaunchSpec.of(""), 1);
        recordRun(store, "before", "features", RunStatus.SUCCEEDED, "manual", 1);
        clock.advance(Duration.ofSeconds(1));
        recordRun(store, "ok-run", "features", RunStatus.SUCCEEDED, "manual", 1);
        recordRun(store, "bad-run", "features", RunStatus.FAILED, "manual", 1);
        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            scheduler.tick();
            launcher.endAll();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(launcher.triggers()).containsExactly("upstream:features/ok-run");
        assertThat(new Schedules(store, clock).fires(t.id(), 5)).hasSize(1);
    }

    /**
     * The probe of issue 11: a schedule with an interval of 999999999999 days got stored (by an older Flywheel, or by
     * hand), and the scheduler's loop died on it. Bad rows of every kind are written straight into the store here;
     * each is marked broken with its reason while the good schedule keeps firing on time.
     */
    @Test
    void badSchedulesAndTriggersInTheStoreAreMarkedBrokenWhileTheOthersKeepFiring() throws Exception {
        MetadataStore store = store();
        clock.set(T0);
        Schedules schedules = new Schedules(store, clock);
        ScheduleRecord good = schedules.create("hello", Schedule.every(Duration.ofSeconds(10)).startingAt(T0), LaunchSpec.of(""));
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        TriggerRecord goodFolder = schedules.createTrigger("hello", new TriggerSpec.Folder(inbox.toString(), "*.csv", 1, 0,
                Duration.ZERO, "files"), LaunchSpec.of(""), 1);
        TriggerRecord badState = schedules.createTrigger("hello", new TriggerSpec.Folder(inbox.toString(), "*.txt", 1, 0,
                Duration.ZERO, "files"), LaunchSpec.of(""), 1);
        String launch = "{\"classpath\":\"\",\"params\":{}}";
        insertSchedule(store, "00000000000000a1", launch, "{\"timing\":{\"kind\":\"interval\",\"every\":\"PT23999999999976H\"},"
                + "\"start\":null,\"end\":null,\"catchUp\":\"LATEST\",\"maxConcurrentRuns\":1}");
        insertSchedule(store, "00000000000000a2", launch, "{\"timing\":{\"kind\":\"cron\",\"expression\":\"0 25 * * *\","
                + "\"zone\":\"UTC\"},\"start\":null,\"end\":null,\"catchUp\":\"LATEST\",\"maxConcurrentRuns\":1}");
        insertSchedule(store, "00000000000000a3", launch, "{this is not json");
        store.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO triggers (id, pipeline, kind, launch_json, config_json, state_json, "
                    + "max_concurrent, paused, created_at, updated_at) VALUES ('00000000000000b1', 'hello', 'webhook', ?, '{\"kind\":1}', '{}', 1, 0, 0, 0)")) {
                ps.setString(1, launch);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("UPDATE triggers SET state_json = 'not json either' WHERE id = ?")) {
                ps.setString(1, badState.id());
                return ps.executeUpdate();
            }
        });

        RecordingLauncher launcher = new RecordingLauncher();
        Scheduler scheduler = scheduler(store, launcher, Duration.ofMinutes(1));
        Files.writeString(inbox.resolve("new.csv"), "1");
        for (int i = 0; i <= 30; i++) {
            scheduler.tick();
            launcher.endAll();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(launcher.triggers()).as("the good schedule fired at 0, 10, 20, 30 s and the good trigger once")
                .containsExactlyInAnyOrder("schedule:" + good.id() + "@" + T0, "schedule:" + good.id() + "@" + T0.plusSeconds(10),
                        "schedule:" + good.id() + "@" + T0.plusSeconds(20), "schedule:" + good.id() + "@" + T0.plusSeconds(30),
                        "data:1 files");
        assertThat(schedules.fires(goodFolder.id(), 5)).hasSize(1);

        Map<String, ScheduleRecord> byId = new java.util.HashMap<>();
        schedules.list().forEach(d -> byId.put(d.schedule().id(), d.schedule()));
        assertThat(byId.get(good.id()).broken()).isNull();
        assertThat(byId.get("00000000000000a2").broken().reason()).contains("0 25 * * *");
        assertThat(schedules.unreadable()).extracting(u -> u.id()).containsExactlyInAnyOrder("00000000000000a1", "00000000000000a3", "00000000000000b1");
        assertThat(schedules.unreadable()).filteredOn(u -> u.id().equals("00000000000000a1")).singleElement()
                .satisfies(u -> assertThat(u.reason()).contains("too long"));
        assertThat(brokenReason(store, "schedules", "00000000000000a1")).contains("cannot be read").contains("too long");
        assertThat(brokenReason(store, "schedules", "00000000000000a3")).contains("cannot be read");
        assertThat(brokenReason(store, "triggers", "00000000000000b1")).contains("cannot be read");
        assertThat(schedules.trigger(badState.id()).broken().reason()).contains("state of trigger " + badState.id());
        assertThat(schedules.trigger(goodFolder.id()).broken()).isNull();

        // every bad one can be removed or repaired; a repaired schedule is tried again
        schedules.delete("00000000000000a1");
        schedules.delete("00000000000000a3");
        schedules.deleteTrigger("00000000000000b1");
        assertThat(schedules.unreadable()).isEmpty();
        schedules.update("00000000000000a2", s -> Schedule.every(Duration.ofSeconds(10)).startingAt(T0.plusSeconds(40)));
        assertThat(schedules.describe("00000000000000a2", 1).schedule().broken()).isNull();
        clock.set(T0.plusSeconds(40));
        scheduler.tick();
        assertThat(launcher.triggers()).contains("schedule:00000000000000a2@" + T0.plusSeconds(40));
    }

    private void insertSchedule(MetadataStore store, String id, String launch, String scheduleJson) {
        store.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO schedules (id, pipeline, launch_json, schedule_json, paused, created_at, "
                    + "updated_at) VALUES (?, 'hello', ?, ?, 0, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, launch);
                ps.setString(3, scheduleJson);
                ps.setLong(4, T0.toEpochMilli());
                ps.setLong(5, T0.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static String brokenReason(MetadataStore store, String table, String id) {
        return store.read(c -> {
            try (var ps = c.prepareStatement("SELECT broken_reason FROM " + table + " WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Test
    void aLoopPassThatFailsIsRetriedAndTheHeartbeatSaysSo() throws Exception {
        MetadataStore store = store();
        RecordingLauncher launcher = new RecordingLauncher();
        SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withWebhookPort(-1).withPollInterval(Duration.ofMillis(50));
        DaemonFiles files = new DaemonFiles(config.stateDir());
        try (Scheduler scheduler = new Scheduler(store, java.time.Clock.systemUTC(), launcher, config).start()) {
            dev.flywheel.testkit.Await.until(Duration.ofSeconds(10), "a first heartbeat", () -> files.heartbeat().isPresent());
            Heartbeat first = files.heartbeat().orElseThrow();
            assertThat(first.lastPassAt()).isNotNull();
            assertThat(first.failingSince()).isNull();
            assertThat(SchedulerHealth.of(true, Optional.of(first), Instant.now())).isInstanceOf(SchedulerHealth.Live.class);

            // the store goes away under the running loop: passes fail, the loop keeps beating and says why
            store.write(c -> c.createStatement().executeUpdate("ALTER TABLE schedules RENAME TO schedules_gone"));
            dev.flywheel.testkit.Await.until(Duration.ofSeconds(10), "a failing heartbeat",
                    () -> files.heartbeat().map(b -> b.failingSince() != null).orElse(false));
            assertThat(files.heartbeat().orElseThrow().lastError()).contains("schedules");
            assertThat(SchedulerHealth.of(true, files.heartbeat(), Instant.now())).isInstanceOf(SchedulerHealth.Failing.class);

            store.write(c -> c.createStatement().executeUpdate("ALTER TABLE schedules_gone RENAME TO schedules"));
            dev.flywheel.testkit.Await.until(Duration.ofSeconds(10), "passes succeed again",
                    () -> files.heartbeat().map(b -> b.failingSince() == null).orElse(false));
        }
    }

    @Test
    void healthTellsALiveLoopFromAFailingAStuckAndAStoppedOne() {
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        Heartbeat fresh = new Heartbeat(1, "1/1@h", now.minusMillis(300), now.minusMillis(300), 4, null, null, 1000, 0);
        assertThat(SchedulerHealth.of(true, Optional.of(fresh), now)).isInstanceOfSatisfying(SchedulerHealth.Live.class,
                l -> assertThat(l.lastPassAge()).isEqualTo(Duration.ofMillis(300)));
        Heartbeat failing = new Heartbeat(1, "1/1@h", now.minusMillis(300), now.minusSeconds(60), 4, now.minusSeconds(59), "store down", 1000, 0);
        assertThat(SchedulerHealth.of(true, Optional.of(failing), now)).isInstanceOfSatisfying(SchedulerHealth.Failing.class,
                f -> assertThat(f.failingFor()).isEqualTo(Duration.ofSeconds(59)));
        Heartbeat old = new Heartbeat(1, "1/1@h", now.minusSeconds(11), now.minusSeconds(11), 4, null, null, 1000, 0);
        assertThat(SchedulerHealth.of(true, Optional.of(old), now)).isInstanceOfSatisfying(SchedulerHealth.Stuck.class,
                s -> assertThat(s.why()).contains("has not passed for 11s").contains("every 1.0s"));
        assertThat(SchedulerHealth.of(true, Optional.empty(), now)).isInstanceOf(SchedulerHealth.Stuck.class);
        assertThat(SchedulerHealth.of(false, Optional.of(fresh), now)).isInstanceOf(SchedulerHealth.Stopped.class);
    }

    /** A run row as the engine writes it; "before" runs finish one second before the clock. */
    private void recordRun(MetadataStore store, String id, String pipeline, RunStatus status, String trigger, long pid) {
        Instant at = id.equals("before") ? clock.instant().minusSeconds(1) : clock.instant();
        RunRecords runs = new RunRecords(store);
        store.write(c -> {
            runs.savePipeline(c, pipeline, "", "{}", at);
            runs.insertRun(c, new RunRecord(id, pipeline, status, at, at, trigger, "{}", null, "host", pid, null));
            return null;
        });
    }
}
