package dev.flywheel.runtime;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.xgboost.XgboostFormat;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real training pipeline on the UCI bike-sharing hours: load months 1..N, train an XGBoost regressor of {@code cnt},
 * evaluate it on a fixed held-out set (every fifth hour of the first year), and return the model with RMSE and MAE.
 */
public final class BikeSteps {
    /** {@code casual} and {@code registered} sum to {@code cnt}: they are leaks, never features. */
    public static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday",
            "weathersit", "temp", "atemp", "hum", "windspeed");

    private BikeSteps() {
    }

    public static Path csv() {
        return SharedData.requireBikeSharingHours();
    }

    public static Pipeline pipeline(int months) {
        return Pipeline.named("bike_demand")
                .step("load", LoadHours.class, new LoadHours.Config(csv().toString(), months))
                .step("train", TrainRegressor.class, new TrainRegressor.Config(50, 6))
                .build();
    }

    public static final class LoadHours {
        public record Config(String csv, int months) {
        }

        @Outputs
        public record Result(Table train, Table holdout) {
        }

        @Step
        public Result load(Config config) {
            Table hours = Table.readCsv(Path.of(config.csv()));
            Table holdout = hours.filter(r -> month(r) <= 12 && r.getLong("instant") % 5 == 0);
            Table train = hours.filter(r -> month(r) <= config.months() && r.getLong("instant") % 5 != 0);
            return new Result(train, holdout);
        }

        private static long month(Table.Row r) {
            return r.getLong("yr") * 12 + r.getLong("mnth");
        }
    }

    public static final class TrainRegressor {
        public record Config(int rounds, int depth) {
        }

        @Step(output = "model")
        public Model train(@Input("train") Table train, @Input("holdout") Table holdout, Config config, StepContext context) {
            float[] y = floats(train.doubles("cnt"));
            Model model = XgboostTrainer.regression(Map.of("max_depth", config.depth(), "eta", 0.3, "nthread", 2, "seed", 7), config.rounds())
                    .fit(new FeatureBatch(train.rowCount(), FEATURES.size(), train.toRowMajorFloats(FEATURES)), y,
                            ModelSignature.regression(FEATURES), "bike_demand");
            float[] actual = floats(holdout.doubles("cnt"));
            try (LoadedModel loaded = new XgboostFormat().load(model.content(), "trained", model.signature())) {
                Predictions p = loaded.predict(new FeatureBatch(holdout.rowCount(), FEATURES.size(), holdout.toRowMajorFloats(FEATURES)));
                double se = 0;
                double ae = 0;
                for (int i = 0; i < actual.length; i++) {
                    double d = p.get(i, 0) - actual[i];
                    se += d * d;
                    ae += Math.abs(d);
                }
                context.log("trained on %d rows, evaluated on %d", train.rowCount(), holdout.rowCount());
                return model.withMetric("rmse", Math.sqrt(se / actual.length)).withMetric("mae", ae / actual.length);
            }
        }

        private static float[] floats(double[] values) {
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }
    }

    /** Returns a model whose file is not a model: the registry must refuse it and fail the step. */
    public static final class TrainBroken {
        @Step(output = "model")
        public Model train() {
            return new Model("broken", "xgboost", "not an xgboost model".getBytes(java.nio.charset.StandardCharsets.UTF_8), ModelSignature.regression(FEATURES), Map.of());
        }
    }
}
