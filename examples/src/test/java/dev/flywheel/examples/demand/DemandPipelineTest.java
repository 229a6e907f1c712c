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

    @Test
    void aFreshBatchThatIsOnlyAHeaderIsRefusedByValidationNamingTheFile() throws Exception {
        Path data = dir.resolve("incoming");
        for (int m = 0; m < 2; m++) {
            DemandData.writeBatch(data, m, 42);
        }
        Path empty = DemandData.writeBatch(data, 2, 42);
        Files.writeString(empty, Files.readString(empty).lines().findFirst().orElseThrow() + "\n");
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            RunResult bad = flywheel.run(DemandPipelines.training(data.toString()), RunOptions.defaults(), RunListener.NONE);
            assertThat(bad.succeeded()).isFalse();
            assertThat(bad.step("validate_data").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(bad.step("train_xgboost").orElseThrow().status()).as("training never sees the empty batch").isEqualTo(StepStatus.SKIPPED);
            assertThat(bad.error()).contains(empty.getFileName() + " (the fresh batch) has no data rows, only a header")
                    .doesNotContain("got 0");

            // a single batch that is only a header: nothing to split into history and fresh data
            Path alone = dir.resolve("alone");
            Path only = DemandData.writeBatch(alone, 0, 42);
            Files.writeString(only, Files.readString(only).lines().findFirst().orElseThrow());
            RunResult single = flywheel.run(DemandPipelines.training(alone.toString()), RunOptions.defaults(), RunListener.NONE);
            assertThat(single.step("validate_data").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(single.error()).contains(only.getFileName() + " (the fresh batch) has no data rows")
                    .contains("the history batches [" + only.getFileName() + "] have no data rows");
        }
    }

    @Test
    void theFilesATriggerPassesAreTheFreshDataAndTheOtherBatchesTheHistory() throws Exception {
        Path data = dir.resolve("incoming");
        for (int m = 0; m < 5; m++) {
            DemandData.writeBatch(data, m, 42);
        }
        Path note = Files.writeString(data.resolve("README.txt"), "dropped here too");
        Path newest = data.resolve("batch-05.csv");
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            String files = "[\"" + data.resolve("batch-03.csv") + "\", \"" + note + "\"]";
            RunResult run = flywheel.run(DemandPipelines.training(data.toString()), RunOptions.defaults().withParams(java.util.Map.of("files", files)),
                    RunListener.NONE);
            assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
            Table fresh = flywheel.artifacts().load(run.artifactId("load_batches", "fresh"), Table.class);
            Table history = flywheel.artifacts().load(run.artifactId("load_batches", "history"), Table.class);
            assertThat(java.util.Arrays.stream(fresh.strings("batch")).distinct().toList()).containsExactly("batch-03.csv");
            assertThat(java.util.Arrays.stream(history.strings("batch")).distinct().toList()).containsExactlyInAnyOrder("batch-02.csv", "batch-04.csv", "batch-05.csv");

            RunResult missing = flywheel.run(DemandPipelines.training(data.toString()),
                    RunOptions.defaults().withParams(java.util.Map.of("files", "[\"" + data.resolve("gone.csv") + "\"]")), RunListener.NONE);
            assertThat(missing.succeeded()).isFalse();
            assertThat(missing.error()).contains("gone.csv").contains("does not exist");

            RunResult none = flywheel.run(DemandPipelines.training(data.toString()),
                    RunOptions.defaults().withParams(java.util.Map.of("files", "[\"" + note + "\"]")), RunListener.NONE);
            assertThat(none.error()).contains("None of the files passed as fresh data is a .csv file");
            assertThat(newest).isRegularFile();
        }
    }
}
