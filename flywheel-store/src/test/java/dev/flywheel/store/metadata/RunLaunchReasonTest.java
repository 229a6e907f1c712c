package dev.flywheel.store.metadata;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run records why it was launched, typed, and the fire that launched it; the scheduler finds a fire's run through
 * these records (by fire id, or by pid and trigger text for fires of older schedulers), never by reading the table.
 */
class RunLaunchReasonTest {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    @TempDir
    Path dir;
    MetadataStore store;
    RunRecords runs;

    @BeforeEach
    void open() {
        store = MetadataStore.openSqlite(dir.resolve("flywheel.db"));
        runs = new RunRecords(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RunRecord run(String id, String pipeline, Instant started, Instant finished, long pid, String trigger, LaunchReason reason,
                          String fireId) {
        RunRecord r = new RunRecord(id, pipeline, finished == null ? RunStatus.RUNNING : RunStatus.SUCCEEDED, started, finished, trigger,
                "{}", null, "host", pid, started, reason, fireId);
        store.write(c -> {
            runs.savePipeline(c, pipeline, "", "{}", started);
            runs.insertRun(c, r);
            return null;
        });
        return r;
    }

    @Test
    void everyKindOfLaunchReasonReadsBackAsItWasRecorded() {
        List<LaunchReason> kinds = List.of(new LaunchReason.ScheduledFire("nightly", T0),
                new LaunchReason.NewFiles("/data/in", List.of("a.csv", "sub/b.csv")), new LaunchReason.NewRows("events", 10, 25),
                new LaunchReason.Webhook("delivery-7f3a"), new LaunchReason.UpstreamRun("etl", "run-1"), new LaunchReason.Manual(),
                new LaunchReason.ModelDrift("bike", 3, 2, 4, List.of("hum", "temp"), 1200, T0, T0.plusSeconds(3600)),
                new LaunchReason.PerformanceDrop("bike", 3, "rmse", 52.5, "above", 40, 250, T0, T0.plusSeconds(86_400)));
        int i = 0;
        for (LaunchReason reason : kinds) {
            RunRecord r = run("0a" + i, "train", T0.plusSeconds(i), null, 100 + i, "t", reason, "src/" + i);
            assertThat(runs.get(r.id())).isEqualTo(r);
            assertThat(LaunchReasonJson.read(LaunchReasonJson.write(reason))).isEqualTo(reason);
            i++;
        }
    }

    @Test
    void aFiresRunIsFoundByItsFireIdAndAnOlderSchedulersByPidAndTriggerText() {
        run("01d", "train", T0, null, 42, "schedule:s@2026-05-01T08:00:00Z", null, null);
        RunRecord fired = run("0e0", "train", T0.plusSeconds(5), null, 43, "webhook:d1", new LaunchReason.Webhook("d1"), "hook/webhook:d1");

        assertThat(runs.findByFireId("hook/webhook:d1")).contains(fired);
        assertThat(runs.findByFireId("hook/webhook:d2")).isEmpty();
        assertThat(runs.findLaunched(42, "schedule:s@2026-05-01T08:00:00Z", T0.minusSeconds(5))).map(RunRecord::id).contains("01d");
        assertThat(runs.findLaunched(42, "schedule:s@2026-05-01T08:00:00Z", T0.plusSeconds(1))).as("started before the launch").isEmpty();
        assertThat(runs.findLaunched(42, "other", T0.minusSeconds(5))).isEmpty();
        assertThat(runs.get("01d").launchReason()).as("recorded before reasons were kept").isNull();
    }

    @Test
    void finishedRunsOfAPipelineComeOldestFirstFromTheCursor() {
        run("0b", "etl", T0, T0.plusSeconds(20), 1, "manual", new LaunchReason.Manual(), null);
        run("0a", "etl", T0, T0.plusSeconds(10), 1, "manual", new LaunchReason.Manual(), null);
        run("0c", "etl", T0, null, 1, "manual", new LaunchReason.Manual(), null);
        run("0d", "train", T0, T0.plusSeconds(15), 1, "manual", new LaunchReason.Manual(), null);
        assertThat(runs.finishedSince("etl", T0)).extracting(RunRecord::id).containsExactly("0a", "0b");
        assertThat(runs.finishedSince("etl", T0.plusSeconds(10))).extracting(RunRecord::id).containsExactly("0a", "0b");
        assertThat(runs.finishedSince("etl", T0.plusSeconds(11))).extracting(RunRecord::id).containsExactly("0b");
    }

    @Test
    void aReasonOfAKindThisVersionDoesNotKnowReadsAsUnknownAndBadJsonIsRefusedWithTheKinds() {
        run("0f0", "train", T0, null, 1, "t", new LaunchReason.Manual(), null);
        store.write(c -> c.createStatement().executeUpdate("UPDATE runs SET launch_reason_json = '{\"kind\":\"drift\"}' WHERE id = '0f0'"));
        assertThat(runs.get("0f0").launchReason()).isNull();
        assertThatThrownBy(() -> LaunchReasonJson.read("{\"kind\":\"drift\"}")).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("kinds: scheduled, new_files, new_rows, webhook, upstream_run, manual");
    }
}
