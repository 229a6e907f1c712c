package dev.flywheel.testdb;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's own records (runs, step runs, artifacts, lineage) behave the same on every metadata store flavor. */
@EveryMetadataStore
class MetadataRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;
    MetadataStore store;
    RunRecords runs;
    ArtifactRecords artifacts;

    @BeforeEach
    void open() {
        store = database.open(dir);
        runs = new RunRecords(store);
        artifacts = new ArtifactRecords(store);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static RunRecord run(String id, String pipeline, Instant started) {
        return new RunRecord(id, pipeline, RunStatus.RUNNING, started, null, "manual", "{}", null, "host-a", 4242, null);
    }

    private static StepRunRecord step(String id, String runId, String name, StepStatus status, Instant started, String logs) {
        return new StepRunRecord(id, runId, name, "example.Step", status, "key-" + name, null, "abc", "{}", 1, started,
                started == null ? null : started.plusSeconds(1), null, logs, null);
    }

    private void record(RunRecord r) {
        store.write(c -> {
            runs.savePipeline(c, r.pipeline(), "", "{}", r.startedAt());
            runs.insertRun(c, r);
            return null;
        });
    }

    @Test
    void runsArePagedByKeyNewestFirstWithFiltersAndStepCounts() {
        // 7 runs, two pairs started at the same instant: paging must neither repeat nor skip one of a tie.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "0a1b2c3d-0000-4000-8000-00000000010" + i;
            RunRecord r = new RunRecord(id, i % 2 == 0 ? "train" : "score", i == 3 ? RunStatus.FAILED : RunStatus.SUCCEEDED,
                    T0.plusSeconds(i / 2), T0.plusSeconds(60), i == 4 ? "schedule:s1" : "manual", "{}", null, "host-a", 4242, null);
            record(r);
            ids.add(id);
        }
        List<String> seen = new ArrayList<>();
        dev.flywheel.store.metadata.RunQuery.Position after = null;
        do {
            var page = runs.page(new dev.flywheel.store.metadata.RunQuery(null, null, null, null, null, after, 3));
            page.runs().forEach(r -> seen.add(r.id()));
            after = page.next();
        } while (after != null);
        assertThat(seen).containsExactly(ids.get(6), ids.get(5), ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(runs.page(new dev.flywheel.store.metadata.RunQuery("train", null, null, null, null, null, 10)).runs()).hasSize(4);
        assertThat(runs.page(new dev.flywheel.store.metadata.RunQuery(null, RunStatus.FAILED, null, null, null, null, 10)).runs())
                .extracting(RunRecord::id).containsExactly(ids.get(3));
        assertThat(runs.page(new dev.flywheel.store.metadata.RunQuery(null, null, "schedule:", null, null, null, 10)).runs())
                .extracting(RunRecord::id).containsExactly(ids.get(4));
        assertThat(runs.page(new dev.flywheel.store.metadata.RunQuery(null, null, "manual", T0.plusSeconds(1), T0.plusSeconds(3), null, 10))
                .runs()).extracting(RunRecord::id).containsExactly(ids.get(5), ids.get(3), ids.get(2));

        store.write(c -> {
            runs.saveStepRun(c, step("5a000000-0000-4000-8000-000000000001", ids.get(0), "load", StepStatus.CACHED, T0, null));
            runs.saveStepRun(c, step("5a000000-0000-4000-8000-000000000002", ids.get(0), "train", StepStatus.SUCCEEDED, T0, null));
            return null;
        });
        assertThat(runs.stepCounts(List.of(ids.get(0), ids.get(1)))).containsOnlyKeys(ids.get(0))
                .containsEntry(ids.get(0), new RunRecords.StepCounts(2, 1));
        assertThat(runs.stepCounts(List.of())).isEmpty();
    }

    @Test
    void aRunRoundTripsWithEveryFieldIncludingNulls() {
        RunRecord r = new RunRecord("0a1b2c3d-0000-4000-8000-000000000001", "train", RunStatus.RUNNING, T0, null, "schedule:s1@2026",
                "{\"rounds\":5}", null, "host-a", Long.MAX_VALUE - 1, null);
        record(r);
        assertThat(runs.get(r.id())).isEqualTo(r);
        store.write(c -> {
            runs.finishRun(c, r.id(), RunStatus.FAILED, T0.plusSeconds(3), "boom: ünïcödé ✓");
            return null;
        });
        RunRecord finished = runs.get("0a1b2C3D");
        assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
        assertThat(finished.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(finished.error()).isEqualTo("boom: ünïcödé ✓");
        assertThat(runs.count(null)).isEqualTo(1);
        assertThat(runs.count("train")).isEqualTo(1);
        assertThat(runs.count("other")).isZero();
        assertThat(runs.pipelines()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("train"));
    }

    @Test
    void idPrefixesResolveWhenUniqueAndSayWhyWhenNot() {
        record(run("ab000000-0000-4000-8000-000000000001", "p", T0));
        record(run("ab100000-0000-4000-8000-000000000002", "p", T0.plusSeconds(1)));
        record(run("cd000000-0000-4000-8000-000000000003", "p", T0.plusSeconds(2)));
        assertThat(runs.get("ab0").id()).startsWith("ab0");
        assertThat(runs.get("AB1").id()).startsWith("ab1");
        assertThat(runs.get("ab000000-0000-4000-8000-000000000001").id()).isEqualTo("ab000000-0000-4000-8000-000000000001");
        assertThat(runs.get("ab000000-0000-4").id()).startsWith("ab000000");
        assertThatThrownBy(() -> runs.get("ab"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("matches several");
        assertThatThrownBy(() -> runs.get("ef"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> runs.get("zz' OR 1=1 --"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void runsListNewestFirstPerPipelineAndLimited() {
        for (int i = 0; i < 30; i++) {
            record(run(String.format("%08x-0000-4000-8000-000000000000", i), i % 3 == 0 ? "a" : "b", T0.plusSeconds(i)));
        }
        List<RunRecord> newest = runs.list(null, 5);
        assertThat(newest).extracting(RunRecord::startedAt)
                .containsExactly(T0.plusSeconds(29), T0.plusSeconds(28), T0.plusSeconds(27), T0.plusSeconds(26), T0.plusSeconds(25));
        assertThat(runs.list("a", 100)).hasSize(10).allSatisfy(r -> assertThat(r.pipeline()).isEqualTo("a"));
        assertThat(runs.list("none", 100)).isEmpty();
    }

    @Test
    void stepRunsAreUpsertedAndListedInTheOrderTheyRanWithUnstartedOnesLast() {
        String runId = "11111111-0000-4000-8000-000000000000";
        record(run(runId, "p", T0));
        store.write(c -> {
            runs.saveStepRun(c, step("s-load", runId, "load", StepStatus.RUNNING, T0, null));
            runs.saveStepRun(c, step("s-skip", runId, "report", StepStatus.SKIPPED, null, null));
            runs.saveStepRun(c, step("s-train", runId, "train", StepStatus.RUNNING, T0.plusSeconds(5), null));
            return null;
        });
        store.write(c -> {
            runs.saveStepRun(c, step("s-load", runId, "load", StepStatus.SUCCEEDED, T0, "line 1\nline 2"));
            return null;
        });
        List<StepRunRecord> steps = runs.steps(runId);
        assertThat(steps).extracting(StepRunRecord::name).containsExactly("load", "train", "report");
        assertThat(steps.getFirst().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(steps.getFirst().logs()).isEqualTo("line 1\nline 2");
        Optional<StepRunRecord> cached = store.read(c -> runs.findCached(c, "key-load"));
        assertThat(cached).get().extracting(StepRunRecord::id).isEqualTo("s-load");
        Optional<StepRunRecord> none = store.read(c -> runs.findCached(c, "key-train"));
        assertThat(none).isEmpty();
    }

    @Test
    void logsWithControlCharactersAndLargeTextAreKept() {
        String runId = "22222222-0000-4000-8000-000000000000";
        record(run(runId, "p", T0));
        String logs = "binary \u0000 nul, bell \u0007, emoji \uD83D\uDE80\n" + "x".repeat(1_000_000);
        store.write(c -> {
            runs.saveStepRun(c, step("s1", runId, "dump", StepStatus.FAILED, T0, logs));
            return null;
        });
        String stored = runs.steps(runId).getFirst().logs();
        assertThat(stored).hasSize(logs.length()).startsWith("binary \uFFFD nul, bell \u0007, emoji \uD83D\uDE80\n");
    }

    @Test
    void artifactsAndTheirLineageRoundTrip() {
        String runId = "33333333-0000-4000-8000-000000000000";
        record(run(runId, "p", T0));
        ArtifactRecord a = new ArtifactRecord("44444444-0000-4000-8000-000000000000", URI.create("blobs/ab/ab" + "0".repeat(62)),
                "java.util.List<java.lang.Double>", "list-v1", 5L * 1024 * 1024 * 1024, "ab" + "0".repeat(62), T0, "s-load", runId, "load", "table");
        store.write(c -> {
            runs.saveStepRun(c, step("s-load", runId, "load", StepStatus.SUCCEEDED, T0, null));
            runs.saveStepRun(c, step("s-train", runId, "train", StepStatus.SUCCEEDED, T0.plusSeconds(1), null));
            artifacts.insert(c, a);
            artifacts.link(c, new ArtifactLink("s-load", ArtifactLink.Direction.OUTPUT, "table", a.id()));
            artifacts.link(c, new ArtifactLink("s-train", ArtifactLink.Direction.INPUT, "data", a.id()));
            return null;
        });
        assertThat(artifacts.get("4444")).isEqualTo(a);
        assertThat(artifacts.list(runId, 10)).containsExactly(a);
        assertThat(artifacts.list(null, 10)).containsExactly(a);
        assertThat(artifacts.linksOfArtifact(a.id())).extracting(ArtifactLink::stepRunId).containsExactlyInAnyOrder("s-load", "s-train");
        assertThat(artifacts.linksOfStepRun("s-train")).singleElement().extracting(ArtifactLink::direction).isEqualTo(ArtifactLink.Direction.INPUT);
    }

    @Test
    void aWriteThatFailsMidwayLeavesNothing() {
        String runId = "55555555-0000-4000-8000-000000000000";
        assertThatThrownBy(() -> store.write(c -> {
            runs.savePipeline(c, "p", "", "{}", T0);
            runs.insertRun(c, run(runId, "p", T0));
            throw new IllegalStateException("the process failed between two rows");
        })).hasMessageContaining("between two rows");
        assertThat(runs.count(null)).isZero();
        assertThat(runs.pipelines()).isEmpty();
        // a constraint failure (a step of a run that does not exist) also rolls back the rows before it
        assertThatThrownBy(() -> store.write(c -> {
            runs.savePipeline(c, "p", "", "{}", T0);
            runs.saveStepRun(c, step("orphan", "no-such-run", "x", StepStatus.RUNNING, T0, null));
            return null;
        })).isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(runs.pipelines()).isEmpty();
    }

    @Test
    void twoProcessesMarkingTheSameDeadRunFailItOnceAndNeverOverwriteARunThatFinished() throws Exception {
        for (int i = 0; i < 20; i++) {
            record(run(String.format("%08x-dead-4000-8000-000000000000", i), "p", T0.plusSeconds(i)));
        }
        // half of them finish on their own while two other processes sweep for dead owners
        try (MetadataStore second = database.open(dir)) {
            RunRecords other = new RunRecords(second);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> sweeps = new ArrayList<>();
                for (RunRecords r : List.of(runs, other)) {
                    sweeps.add(pool.submit(() -> {
                        start.await();
                        return r.failAbandoned("host-a", (pid, started) -> false, T0.plusSeconds(100));
                    }));
                }
                Future<Integer> finisher = pool.submit(() -> {
                    start.await();
                    int finished = 0;
                    for (int i = 0; i < 20; i += 2) {
                        String id = String.format("%08x-dead-4000-8000-000000000000", i);
                        finished += store.write(c -> {
                            try (var ps = c.prepareStatement("UPDATE runs SET status = ?, finished_at = ? WHERE id = ? AND status = ?")) {
                                ps.setString(1, RunStatus.SUCCEEDED.name());
                                ps.setLong(2, T0.plusSeconds(50).toEpochMilli());
                                ps.setString(3, id);
                                ps.setString(4, RunStatus.RUNNING.name());
                                return ps.executeUpdate();
                            }
                        });
                    }
                    return finished;
                });
                start.countDown();
                int marked = sweeps.get(0).get() + sweeps.get(1).get();
                int finished = finisher.get();
                assertThat(marked + finished).as("every run ended exactly once").isEqualTo(20);
            } finally {
                pool.shutdownNow();
            }
        }
        List<RunRecord> all = runs.list(null, 100);
        assertThat(all).hasSize(20).noneMatch(r -> r.status() == RunStatus.RUNNING);
        assertThat(all).filteredOn(r -> r.status() == RunStatus.FAILED)
                .allSatisfy(r -> assertThat(r.error()).contains("ended before the run finished"));
        assertThat(all).filteredOn(r -> r.status() == RunStatus.SUCCEEDED).allSatisfy(r -> assertThat(r.error()).isNull());
    }
}
