package dev.flywheel.server;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small real training pipeline (synthetic rows, XGBoost): load -> train, registering one model version per run. */
public final class TinyPipelines implements PipelineProvider {
    static final List<String> FEATURES = List.of("x1", "x2");

    @Override
    public List<Pipeline> pipelines() {
        return List.of(pipeline(200));
    }

    static Pipeline pipeline(int rows) {
        return Pipeline.named("tiny")
                .step("load", Load.class, new Load.Config(rows))
                .step("train", Train.class, new Train.Config(10))
                .build();
    }

    public static final class Load {
        public record Config(int rows) {
        }

        @Step(output = "data")
        public Table load(Config config) {
            Random random = new Random(config.rows());
            double[] x1 = new double[config.rows()];
            double[] x2 = new double[config.rows()];
            double[] y = new double[config.rows()];
            for (int i = 0; i < config.rows(); i++) {
                x1[i] = random.nextDouble();
                x2[i] = random.nextDouble();
                y[i] = 3 * x1[i] - 2 * x2[i] + random.nextGaussian() * 0.1;
            }
            return Table.builder().doubles("x1", x1).doubles("x2", x2).doubles("y", y).build();
        }
    }

    public static final class Train {
        public record Config(int rounds) {
        }

        @Step(output = "model")
        public Model train(@Input("data") Table data, Config config, StepContext context) {
            double[] yd = data.doubles("y");
            float[] y = new float[yd.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) yd[i];
            }
            Model model = XgboostTrainer.regression(Map.of("max_depth", 3, "eta", 0.3, "nthread", 1, "seed", 7), config.rounds())
                    .fit(new FeatureBatch(data.rowCount(), FEATURES.size(), data.toRowMajorFloats(FEATURES)), y,
                            ModelSignature.regression(FEATURES), "tiny");
            context.log("trained on %d rows", data.rowCount());
            return model.withMetric("rmse", 1.0 / data.rowCount()).withMetric("rows", data.rowCount());
        }
    }
}
