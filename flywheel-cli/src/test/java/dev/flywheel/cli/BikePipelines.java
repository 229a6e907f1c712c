package dev.flywheel.cli;

import dev.flywheel.cd.Condition;
import dev.flywheel.cd.DeployIfBetter;
import dev.flywheel.cd.DeployModel;
import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A continuous-training pipeline on the bike-sharing data: load, train a small XGBoost model, gate and deploy. */
public final class BikePipelines implements PipelineProvider {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");

    public static final class LoadBikes {
        @Outputs
        public record Split(Table train, Table evaluation) {
        }

        @Step
        public Split load() {
            Table all = Table.readCsv(SharedData.bikeSharingHoursOrFail()).select(concat(FEATURES, "cnt"));
            Table.Split s = all.orderedSplit(0.2);
            return new Split(s.train(), s.test());
        }
    }

    public static final class Train {
        public record Config(int rounds) {
        }

        @Step(output = "model")
        public Model train(@Input("train") Table train, Config config) {
            FeatureBatch x = new FeatureBatch(train.rowCount(), FEATURES.size(), train.toRowMajorFloats(FEATURES));
            double[] cnt = train.doubles("cnt");
            float[] y = new float[cnt.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) cnt[i];
            }
            return XgboostTrainer.regression(Map.of("max_depth", 5, "eta", 0.3, "nthread", 1), config.rounds())
                    .fit(x, y, ModelSignature.regression(FEATURES), "bike");
        }
    }

    /** "Busy hour": more than 250 rentals in the hour, a binary label made from the bike-sharing data. */
    public static final class LoadBusyHours {
        @Outputs
        public record Split(Table train, Table evaluation) {
        }

        @Step
        public Split load() {
            Table all = Table.readCsv(SharedData.bikeSharingHoursOrFail());
            double[] cnt = all.doubles("cnt");
            double[] busy = new double[cnt.length];
            for (int i = 0; i < cnt.length; i++) {
                busy[i] = cnt[i] > 250 ? 1 : 0;
            }
            Table labelled = all.select(FEATURES).withColumn("busy", new dev.flywheel.sdk.data.DoubleColumn(busy));
            Table.Split s = labelled.orderedSplit(0.2);
            return new Split(s.train(), s.test());
        }
    }

    /** An XGBoost binary classifier of busy hours; fewer rounds and shallower trees make a worse one. */
    public static final class TrainBusy {
        public record Config(int rounds, int depth) {
        }

        @Step(output = "model")
        public Model train(@Input("train") Table train, Config config) {
            FeatureBatch x = new FeatureBatch(train.rowCount(), FEATURES.size(), train.toRowMajorFloats(FEATURES));
            double[] busy = train.doubles("busy");
            float[] y = new float[busy.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) busy[i];
            }
            return XgboostTrainer.binaryClassification(Map.of("max_depth", config.depth(), "eta", 0.3, "nthread", 1), config.rounds())
                    .fit(x, y, ModelSignature.regression(FEATURES), "busy_hour");
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }

    @Override
    public List<Pipeline> pipelines() {
        return List.of(Pipeline.named("bike_ct").description("trains, gates and deploys a bike demand model")
                .step(LoadBikes.class)
                .step(Train.class, new Train.Config(5))
                .step(DeployIfBetter.class, new DeployIfBetter.Config("rmse", "cnt", 250, 1.0, 90))
                .build(),
                Pipeline.named("bike_deploy").description("trains a bike demand model and deploys it without a gate")
                        .step(LoadBikes.class)
                        .step(Train.class, new Train.Config(5))
                        .step(DeployModel.class, DeployModel.Config.defaults())
                        .build(),
                Pipeline.named("busy_hour").description("classifies busy hours; gated on ROC AUC against the served version")
                        .step(LoadBusyHours.class)
                        .step(TrainBusy.class, new TrainBusy.Config(20, 4))
                        .step(DeployIfBetter.class, DeployIfBetter.Config.metric("roc_auc", "busy").withThreshold(0.8).withMinImprovement(0.002)
                                .and(Condition.of("log_loss").withMinAbsoluteChange(-0.02)).withMaxLatencyMillis(50))
                        .build());
    }
}
