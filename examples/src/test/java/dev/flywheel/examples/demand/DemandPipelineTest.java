package dev.flywheel.examples.demand;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemandPipelineTest {
    @TempDir
    Path dir;

    @Test
    void generatedDataIsDeterministicAndRealistic() {
        Table a = DemandData.month(3, 42);
        Table b = DemandData.month(3, 42);
        assertThat(a).isEqualTo(b);
        assertThat(a.rowCount()).isEqualTo(30 * 24);
        assertThat(new dev.flywheel.engine.validate.RangesDataValidator(false).validate(a, ValidateData.expectations(Dataset.generatedDemand()))
                .problems()).isEmpty();
        assertThat(DemandData.month(3, 43)).isNotEqualTo(a);
    }

    @Test
    void pipelineTrainsAModelWithMetricsAndValidationStopsACorruptBatch() throws Exception {
        Path data = dir.resolve("incoming");
        for (int m = 0; m < 3; m++) {
            DemandData.writeBatch(data, m, 42);
        }
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            RunResult ok = flywheel.run(DemandPipelines.training(data.toString()), RunOptions.defaults(), RunListener.NONE);
            assertThat(ok.succeeded()).as(String.valueOf(ok.error())).isTrue();
            Model model = flywheel.artifacts().load(ok.artifactId("train_xgboost", "model"), Model.class);
            assertThat(model.metrics()).containsKeys("rmse", "mae");
            assertThat(model.metrics().get("rmse")).isLessThan(60);

            Path corrupt = DemandData.writeBatch(data, 3, 42);
            Files.writeString(corrupt, Files.readString(corrupt).replaceFirst("\n(\\S+?),(\\d+),(\\d+),", "\n$1,$2,99,"));
            RunResult bad = flywheel.run(DemandPipelines.training(data.toString()), RunOptions.defaults(), RunListener.NONE);
            assertThat(bad.succeeded()).isFalse();
            assertThat(bad.step("validate_data").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(bad.step("train_xgboost").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(bad.error()).contains("batch-04.csv: column 'hour' has 1 value missing or outside [0, 23] (row 1 has the value 99.0)");
        }
    }
}
