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
