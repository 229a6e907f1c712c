package dev.flywheel.examples.demand;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;

import java.util.Map;

/**
 * Trains an XGBoost regressor for the data set's target and measures it on the fresh data it has not seen. The returned
 * {@link Model} carries its metrics; Flywheel registers it as a new version of {@code modelName}.
 */
public final class TrainXgboost {
    public record Config(String modelName, Dataset dataset, int rounds, int maxDepth, double eta) {
    }

    @Step(output = "model")
    public Model train(@Input("train") Table train, @Input("evaluation") Table evaluation, Config config, StepContext context) {
        Dataset data = config.dataset();
        ModelSignature signature = ModelSignature.regression(data.features());
        Map<String, Object> params = Map.of("max_depth", config.maxDepth(), "eta", config.eta(), "nthread", 1,
                "subsample", 0.9, "seed", 7);
        Model model = XgboostTrainer.regression(params, config.rounds())
                .fit(features(train, data), labels(train, data), signature, config.modelName());
        try (LoadedModel loaded = ModelFormats.load().get(model.format()).load(model.content(), "trained model", signature)) {
            RegressionMetrics m = RegressionMetrics.of(loaded.predict(features(evaluation, data)).values(), evaluation.doubles(data.target()));
            context.log("trained on %d rows; on %d fresh rows: rmse=%.2f mae=%.2f", train.rowCount(), evaluation.rowCount(), m.rmse(), m.mae());
            context.metadata("rmse", m.rmse());
            context.metadata("mae", m.mae());
            return model.withMetrics(Map.of("rmse", m.rmse(), "mae", m.mae(), "train_rows", (double) train.rowCount()));
        }
    }

    public static FeatureBatch features(Table t, Dataset data) {
        return new FeatureBatch(t.rowCount(), data.features().size(), t.toRowMajorFloats(data.features()));
    }

    public static float[] labels(Table t, Dataset data) {
        double[] y = t.doubles(data.target());
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }
}
