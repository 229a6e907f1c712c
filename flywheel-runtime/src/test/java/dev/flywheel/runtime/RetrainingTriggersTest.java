package dev.flywheel.runtime;

import dev.flywheel.predictionlog.LogSchema;
import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.predictionlog.PredictionLogSettings;
import dev.flywheel.predictionlog.PredictionLogs;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.daemon.RunLauncher;
import dev.flywheel.schedule.daemon.Scheduler;
import dev.flywheel.schedule.daemon.SchedulerConfig;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.schedule.trigger.WatchState;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.store.metadata.LaunchReasonJson;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drift and performance triggers end to end: a trained version with its reference profile, requests logged by the real
 * prediction-log writer, ground truth imported, and a real scheduler (its loop thread, its store transactions) that
 * reads them and launches the retraining pipeline with the drift or the drop as the run's recorded launch reason.
 */
class RetrainingTriggersTest {
    @TempDir
    Path dir;
    Flywheel flywheel;
    final List<Thread> runs = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() {
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread t : List.copyOf(runs)) {
            t.join(Duration.ofMinutes(2));
        }
        flywheel.close();
    }

    /**
     * Launches each fire's pipeline as a run of this JVM on its own project handle, recording the reason and the fire
     * as {@code flywheel run} does in a child.
     */
    private RunLauncher inProcess() {
        return request -> {
            Thread t = Thread.ofPlatform().unstarted(() -> {
                try (Flywheel own = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
                    own.run(own.pipelines().get(request.pipeline()), RunOptions.defaults().withParams(request.params())
                            .withLaunch(LaunchReasonJson.read(request.reasonJson()), request.fireId()), RunListener.NONE);
                }
            });
            runs.add(t);
            t.start();
            return new RunLauncher.Launched() {
                @Override
                public long pid() {
                    return ProcessHandle.current().pid();
                }

                @Override
                public boolean isAlive() {
                    return t.isAlive();
                }

                @Override
                public OptionalInt exitCode() {
                    return t.isAlive() ? OptionalInt.empty() : OptionalInt.of(0);
                }

                @Override
                public void onExit(Runnable action) {
                    Thread.ofVirtual().start(() -> {
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        action.run();
                    });
                }
            };
        };
    }

    private ModelVersion train() {
        RunResult run = flywheel.run(BikeSteps.pipeline(6), RunOptions.defaults().withParams(Map.of("train.rounds", "5")), RunListener.NONE);
        assertThat(run.status()).as(String.valueOf(run.steps())).isEqualTo(RunStatus.SUCCEEDED);
        return flywheel.models().get(ModelRef.parse("bike_demand", "1"));
    }

    /**
     * Logs hours like the training rows (the first six months, every fifth left out as BikeSteps does) as requests
     * answered now, with {@code shift} added to temp, hum and windspeed.
     */
    private List<String> logTraffic(ModelVersion version, double shift, float prediction) {
        Table hours = Table.readCsv(BikeSteps.csv()).filter(r -> r.getLong("yr") * 12 + r.getLong("mnth") <= 6
                && r.getLong("instant") % 5 != 0);
        for (String c : List.of("temp", "hum", "windspeed")) {
            double[] v = hours.doubles(c);
            hours = hours.withColumn(c, new DoubleColumn(Arrays.stream(v).map(x -> x + shift).toArray()));
        }
        LogSchema schema = new LogSchema("bike_demand", version.version(), BikeSteps.FEATURES, List.of("prediction"));
        float[] x = hours.toRowMajorFloats(BikeSteps.FEATURES);
        int width = BikeSteps.FEATURES.size();
        List<String> ids = new ArrayList<>();
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(PredictionLogSettings.inProject(flywheel.home().dir())))) {
            for (int r = 0; r < hours.rowCount(); r++) {
                String id = "req-" + shift + "-" + r;
                ids.add(id);
                log.record(new PredictionEvent(id, Instant.now(), schema, 1, Arrays.copyOfRange(x, r * width, (r + 1) * width),
                        new float[]{prediction}, 1_000_000));
            }
        }
        return ids;
    }

    private Scheduler scheduler() {
        return flywheel.scheduler(inProcess(), SchedulerConfig.defaults(dir.resolve("scheduler")).withWebhookPort(-1)
                .withPollInterval(Duration.ofMillis(200)));
    }

    private static void await(Await.Condition condition, String what) {
        Await.until(Duration.ofMinutes(2), what, condition);
    }

    private List<RunRecord> triggeredRuns() {
        return flywheel.runs().list("stats", 10).stream().filter(r -> r.fireId() != null).toList();
    }

    @Test
    void driftedTrafficFiresTheDriftTriggerOnceAndTheRunRecordsTheDrift() throws Exception {
        ModelVersion v1 = train();
        LaunchSpec launch = LaunchSpec.of(System.getProperty("java.class.path"));
        TriggerRecord quiet = flywheel.schedules().createTrigger("stats", new TriggerSpec.Drift("bike_demand", Duration.ofHours(1), 0.2, 100,
                Duration.ofDays(1), Duration.ofMillis(100)), launch, 1);
        TriggerRecord paused = flywheel.schedules().createTrigger("stats", new TriggerSpec.Drift("bike_demand", Duration.ofHours(1), 0.2, 100,
                Duration.ofDays(1), Duration.ofMillis(100)), launch, 1);
        flywheel.schedules().pauseTrigger(paused.id());

        // traffic like the training data: checked, not fired
        logTraffic(v1, 0, 42f);
        try (Scheduler s = scheduler().start()) {
            await(() -> !state(quiet.id()).last().equals("not checked yet"), "the first drift check");
            assertThat(state(quiet.id()).last()).contains("version 1:").doesNotContain("fired");
        }
        assertThat(flywheel.schedules().fires(quiet.id(), 10)).isEmpty();

        // the same hours again with temp, hum and windspeed shifted: drift, one fire, one run that records why
        logTraffic(v1, 0.4, 42f);
        try (Scheduler s = scheduler().start()) {
            await(() -> !triggeredRuns().isEmpty() && triggeredRuns().getFirst().status() != RunStatus.RUNNING, "the triggered run");
            // later polls still see the drift: the cooldown keeps it to one fire
            await(() -> state(quiet.id()).last().contains("in cooldown until"), "a check in the cooldown");
        }
        List<FireRecord> fires = flywheel.schedules().fires(quiet.id(), 10);
        assertThat(fires).singleElement().satisfies(f -> assertThat(f.trigger()).startsWith("drift:bike_demand v1 "));
        RunRecord run = triggeredRuns().getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.launchReason()).isInstanceOfSatisfying(LaunchReason.ModelDrift.class, d -> {
            assertThat(d.model()).isEqualTo("bike_demand");
            assertThat(d.version()).isEqualTo(1);
            assertThat(d.drifted()).contains("temp", "hum");
            assertThat((double) d.driftedColumns() / d.columns()).isGreaterThanOrEqualTo(0.2);
        });
        assertThat(state(quiet.id()).last()).contains("in cooldown until");
        assertThat(flywheel.schedules().fires(paused.id(), 10)).as("a paused trigger never fires").isEmpty();
        assertThat(state(paused.id()).last()).isEqualTo("not checked yet");
    }

    @Test
    void anRmseAboveTheThresholdOnceLabelsArriveFromAFileAndAPolledTableFiresThePerformanceTrigger() throws Exception {
        ModelVersion v1 = train();
        TriggerRecord t = flywheel.schedules().createTrigger("stats", new TriggerSpec.Performance("bike_demand", "rmse", 40.0, null,
                Duration.ofHours(1), 200, Duration.ofDays(1), Duration.ofMillis(100)), LaunchSpec.of(System.getProperty("java.class.path")), 1);
        List<String> ids = logTraffic(v1, 0, 100f);
        // labels 30 off the prediction for the first 150 requests (too few), then 60 off for the next 100
        StringBuilder csv = new StringBuilder("request_id,label\n");
        for (int i = 0; i < 150; i++) {
            csv.append(ids.get(i)).append(",130\n");
        }
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, csv);
        flywheel.monitoring().addLabels("bike_demand", labels);
        // the rest lands in a database table the scheduler polls (a real SQLite file; PostgreSQL in LabelTablesTest)
        String url = "jdbc:sqlite:" + dir.resolve("truth.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE truth (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, label REAL)");
        }
        LabelImport none = flywheel.monitoring().importLabels("bike_demand", new LabelTable(url, "truth", null, null, null, "id", null, null),
                Duration.ofSeconds(1));
        assertThat(none.added()).isZero();
        try (Scheduler s = scheduler().start()) {
            await(() -> state(t.id()).last().contains("waiting for 200 labels"), "a check with too few labels");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                 java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO truth (request_id, label) VALUES (?, 160)")) {
                for (int i = 150; i < 250; i++) {
                    insert.setString(1, ids.get(i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            await(() -> !triggeredRuns().isEmpty() && triggeredRuns().getFirst().status() != RunStatus.RUNNING, "the triggered run");
        }
        assertThat(triggeredRuns().getFirst().launchReason()).isInstanceOfSatisfying(LaunchReason.PerformanceDrop.class, d -> {
            assertThat(d.metric()).isEqualTo("rmse");
            assertThat(d.labelledRows()).isEqualTo(250);
            assertThat(d.value()).isCloseTo(Math.sqrt((150 * 900 + 100 * 3600) / 250.0), org.assertj.core.data.Offset.offset(1e-3));
            assertThat(d.direction()).isEqualTo("above");
            assertThat(d.threshold()).isEqualTo(40.0);
        });
        assertThat(flywheel.schedules().fires(t.id(), 10)).singleElement()
                .satisfies(f -> assertThat(f.trigger()).isEqualTo("performance:bike_demand v1 rmse above 40.0"));
    }

    @Test
    void aTriggerOnAModelThatIsNotRegisteredIsRefusedAndNothingIsStored() {
        LaunchSpec launch = LaunchSpec.of(System.getProperty("java.class.path"));
        assertThatThrownBy(() -> flywheel.schedules().createTrigger("stats", new TriggerSpec.Drift("nope", Duration.ofHours(1), 0.5, 100,
                Duration.ofHours(1), Duration.ofMinutes(1)), launch, 1))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND)).hasMessageContaining("nope");
        assertThatThrownBy(() -> flywheel.schedules().createTrigger("no_such_pipeline", new TriggerSpec.Performance("nope", "rmse", 1.0, null,
                Duration.ofHours(1), 1, Duration.ofHours(1), Duration.ofMinutes(1)), launch, 1))
                .isInstanceOf(FlywheelException.class);
        assertThat(flywheel.schedules().triggers()).isEmpty();
    }

    private WatchState state(String triggerId) {
        return StoreJson.read(flywheel.schedules().trigger(triggerId).stateJson(), WatchState.class, "state");
    }
}
