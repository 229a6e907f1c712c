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
}
