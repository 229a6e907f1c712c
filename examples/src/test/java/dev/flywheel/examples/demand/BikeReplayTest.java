package dev.flywheel.examples.demand;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the real bike-sharing data month by month through the same pipeline as the quickstart: demand grows and
 * shifts from 2011 to 2012, so a model retrained on recent months beats the first model on the months that follow.
 */
class BikeReplayTest {
    @TempDir
    Path dir;

    static Path hourCsv() {
        return SharedData.requireBikeSharingHours();
    }

    @Test
    void retrainingOnRecentMonthsBeatsTheFirstModelOnLaterMonths() {
        Dataset bikes = Dataset.bikeSharing();
        List<Table> months = MonthlyBatches.split(Table.readCsv(hourCsv()), "dteday");
        assertThat(months).hasSize(24);
        Path incoming = dir.resolve("incoming");
        Pipeline pipeline = DemandPipelines.training("bike_replay", incoming.toString(), bikes, "bike_demand");

        List<Double> firstModel = new ArrayList<>();
        List<Double> retrained = new ArrayList<>();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            Model first = null;
            for (int m = 0; m < months.size(); m++) {
                MonthlyBatches.write(months.get(m), incoming, m + 1);
                if (m < 3) {
                    continue;                      // the first model sees three months of history and the fourth as fresh data
                }
                RunResult run = flywheel.run(pipeline, RunOptions.defaults(), RunListener.NONE);
                assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
                Model model = flywheel.artifacts().load(run.artifactId("train_xgboost", "model"), Model.class);
                if (first == null) {
                    first = model;
                    continue;
                }
                retrained.add(model.metrics().get("rmse"));
                firstModel.add(rmse(first, months.get(m), bikes));
            }
        }
        double firstMean = firstModel.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double retrainedMean = retrained.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf("bike replay over %d later months: first model mean rmse %.1f, retrained mean rmse %.1f (%.0f%% lower)%n",
                retrained.size(), firstMean, retrainedMean, 100 * (1 - retrainedMean / firstMean));
        System.out.printf("per month (first, retrained): %s%n", pairs(firstModel, retrained));
        assertThat(retrainedMean).isLessThan(firstMean * 0.75);
    }

    private static double rmse(Model model, Table month, Dataset data) {
        try (LoadedModel loaded = ModelFormats.load().get(model.format()).load(model.content(), "first model", model.signature())) {
            return RegressionMetrics.of(loaded.predict(TrainXgboost.features(month, data)).values(), month.doubles(data.target())).rmse();
        }
    }

    private static String pairs(List<Double> a, List<Double> b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            s.append(String.format("(%.0f, %.0f) ", a.get(i), b.get(i)));
        }
        return s.toString().trim();
    }
}
