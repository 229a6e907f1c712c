package dev.flywheel.runtime;

import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.monitor.ReferenceProfile;
import dev.flywheel.predictionlog.LogSchema;
import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.predictionlog.PredictionLogSettings;
import dev.flywheel.predictionlog.PredictionLogs;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.data.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reference profiles stored with trained versions, and drift of logged predictions against them. */
class MonitoringTest {
    @TempDir
    Path dir;
    Flywheel flywheel;

    @BeforeEach
    void open() {
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    @AfterEach
    void close() {
        flywheel.close();
    }

    private ModelVersion train() {
        RunResult run = flywheel.run(BikeSteps.pipeline(6), RunOptions.defaults().withParams(java.util.Map.of("train.rounds", "5")),
                RunListener.NONE);
        assertThat(run.status()).as(String.valueOf(run.steps())).isEqualTo(RunStatus.SUCCEEDED);
        return flywheel.models().get(ModelRef.parse("bike_demand", "1"));
    }

    /** Logs every row of {@code table} as answered by {@code version}, through the real log writer. */
    private void log(ModelVersion version, Table table, double tempShift) {
        LogSchema schema = new LogSchema("bike_demand", version.version(), BikeSteps.FEATURES, List.of("prediction"));
        Table shifted = table.withColumn("temp", new dev.flywheel.sdk.data.DoubleColumn(
                Arrays.stream(table.doubles("temp")).map(t -> t + tempShift).toArray()));
        float[] x = shifted.toRowMajorFloats(BikeSteps.FEATURES);
        int width = BikeSteps.FEATURES.size();
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(PredictionLogSettings.inProject(flywheel.home().dir())))) {
            for (int r = 0; r < shifted.rowCount(); r++) {
                float[] row = Arrays.copyOfRange(x, r * width, (r + 1) * width);
                log.record(new PredictionEvent("req-" + r, Instant.now(), schema, 1, row, new float[]{42f}, 1_000_000));
            }
        }
    }

    private Table holdout() {
        Table hours = Table.readCsv(BikeSteps.csv());
        return hours.filter(r -> r.getLong("yr") == 1 && r.getLong("instant") % 5 == 0);
    }

    @Test
    void aVersionTrainedByAStepCarriesTheBoundedProfileOfItsTrainingTable() {
        ModelVersion v1 = train();
        assertThat(v1.tags()).containsKeys(Monitoring.PROFILE_TAG, Monitoring.PROFILE_SHA_TAG);
        ReferenceProfile profile = flywheel.monitoring().referenceProfile("bike_demand", 1).orElseThrow();
        assertThat(profile.columnNames()).containsExactlyElementsOf(BikeSteps.FEATURES);
        long trainRows = Table.readCsv(BikeSteps.csv()).filter(r -> r.getLong("yr") * 12 + r.getLong("mnth") <= 6
                && r.getLong("instant") % 5 != 0).rowCount();
        assertThat(profile.rows()).as("the larger upstream table (train, not holdout)").isEqualTo(trainRows);
        assertThat(profile.options().sampleSize()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void theReportFindsTheShiftedFeatureAndDrawsBothHistogramsOverTheSameBins() {
        ModelVersion v1 = train();
        Table live = holdout();
        log(v1, live, 0.3);
        MonitorReport report = flywheel.monitoring().report("bike_demand", Duration.ofHours(24));
        assertThat(report.version()).isEqualTo(1);
        assertThat(report.rows()).isEqualTo(live.rowCount());
        assertThat(report.droppedRequests()).isZero();
        ColumnDrift temp = report.drift().column("temp");
        assertThat(temp.drifted()).as("temp shifted by 0.3 (its range is 0..1)").isTrue();
        assertThat(report.drift().columns()).hasSize(BikeSteps.FEATURES.size());
        MonitorReport.FeatureHistogram h = report.histograms().stream().filter(f -> f.feature().equals("temp")).findFirst().orElseThrow();
        assertThat(h.edges()).hasSize(h.reference().length + 1);
        assertThat(Arrays.stream(h.current()).sum()).isEqualTo(live.rowCount());

        List<MonitorStatus> status = flywheel.monitoring().status(null);
        assertThat(status).singleElement().satisfies(s -> {
            assertThat(s.model()).isEqualTo("bike_demand");
            assertThat(s.rows()).isEqualTo(live.rowCount());
            assertThat(s.hasReference()).isTrue();
            assertThat(s.driftedFeatures()).isPositive();
            assertThat(s.problem()).isNull();
        });
    }

    @Test
    void aReportWithNothingToCompareSaysWhatIsMissingAndHowToGetIt() {
        assertThatThrownBy(() -> flywheel.monitoring().report("nope", Duration.ofHours(1)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        train();
        assertThatThrownBy(() -> flywheel.monitoring().report("bike_demand", Duration.ofHours(24)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("No predictions of model 'bike_demand' were logged").hasMessageContaining("--since");
        assertThatThrownBy(() -> flywheel.monitoring().report("bike_demand", Duration.ZERO))
                .hasMessageContaining("--since must be a positive duration");
        assertThat(flywheel.monitoring().status("bike_demand")).singleElement()
                .satisfies(s -> assertThat(s.problem()).contains("no predictions logged"));
    }

    @Test
    void livePerformanceMatchesLabelsWithLoggedPredictionsWindowByWindowBesideOfflineMetrics() throws Exception {
        ModelVersion v1 = train();
        LogSchema schema = new LogSchema("bike_demand", 1, BikeSteps.FEATURES, List.of("prediction"));
        Instant now = Instant.now();
        StringBuilder csv = new StringBuilder("request_id,label\n");
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(PredictionLogSettings.inProject(flywheel.home().dir())))) {
            for (int i = 0; i < 40; i++) {
                boolean early = i < 20;
                float predicted = 100 + i;
                log.record(new PredictionEvent("r" + i, now.minus(Duration.ofMinutes(early ? 90 : 10)), schema, 1,
                        new float[BikeSteps.FEATURES.size()], new float[]{predicted}, 1_000_000));
                if (i % 2 == 0 || early) {
                    csv.append("r").append(i).append(',').append(predicted + (early ? 3 : 5)).append('\n');
                }
            }
        }
        Path labels = dir.resolve("labels.csv");
        java.nio.file.Files.writeString(labels, csv + "unknown-request,7\n");
        assertThat(flywheel.monitoring().addLabels("bike_demand", labels)).isEqualTo(31);

        LivePerformance p = flywheel.monitoring().performance("bike_demand", Duration.ofHours(2), Duration.ofHours(1));
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.offline()).isEqualTo(v1.metrics());
        assertThat(p.windows()).hasSize(2);
        assertThat(p.windows().get(0).labelledRows()).isEqualTo(20);
        assertThat(p.windows().get(0).metrics().get("rmse")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(p.windows().get(0).metrics().get("mae")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(p.windows().get(1).labelledRows()).isEqualTo(10);
        assertThat(p.windows().get(1).metrics().get("rmse")).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(p.windows().get(1).metrics()).containsKeys("rmse", "mae", "mape").doesNotContainKey("accuracy");

        // A later import wins for the same request.
        java.nio.file.Files.writeString(labels, "request_id,row,label\nr21,0,121\n");
        flywheel.monitoring().addLabels("bike_demand", labels);
        LivePerformance again = flywheel.monitoring().performance("bike_demand", Duration.ofHours(2), Duration.ofHours(1));
        assertThat(again.windows().get(1).labelledRows()).isEqualTo(11);
    }

    @Test
    void badLabelFilesAreRefusedNamingTheLineAndKeepNothing() throws Exception {
        train();
        Path f = dir.resolve("bad.csv");
        for (String[] c : new String[][]{
                {"", "is empty"},
                {"id,label\nr1,2\n", "it needs 'request_id' and 'label'"},
                {"request_id,label\nr1,2\nr2,lots\n", "line 3: label 'lots' is not a finite number"},
                {"request_id,label\nr1,NaN\n", "line 2: label 'NaN' is not a finite number"},
                {"request_id,row,label\nr1,-1,2\n", "line 2: row '-1' is not a row number"},
                {"request_id,label\nr1,2,3\n", "line 2: 3 values for 2 columns"},
                {"request_id,label\n", "has a header but no labels"}}) {
            java.nio.file.Files.writeString(f, c[0]);
            assertThatThrownBy(() -> flywheel.monitoring().addLabels("bike_demand", f)).as(c[0])
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> flywheel.monitoring().addLabels("bike_demand", dir.resolve("none.csv")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> flywheel.monitoring().addLabels("nope", f))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> flywheel.monitoring().performance("bike_demand", Duration.ofHours(1), Duration.ofHours(2)))
                .hasMessageContaining("--window must be a positive duration no longer than --since");
        assertThat(flywheel.monitoring().performance("bike_demand", Duration.ofDays(1), Duration.ofHours(1)).windows())
                .as("nothing was kept").isEmpty();
    }
}
