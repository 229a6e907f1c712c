package dev.flywheel.spark.demand;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.spark.SparkSteps;
import dev.flywheel.spark.train.SparkGbt;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/**
 * Runs on the Spark step operator: trains gradient-boosted trees on the prepared history across the cluster's
 * executors, exports them as an XGBoost model, and measures both on the fresh data: rmse and mae, and how far the
 * exported model's predictions (Flywheel's evaluator, as served) are from Spark's own. The returned {@link Model}
 * is registered as a new version of {@code modelName}.
 */
public final class TrainGbtOnSpark {
    public record Config(String modelName, int trees, int maxDepth, double stepSize, long seed) {
    }

    @Step(output = "model")
    public Model train(@Input("prepared") PreparedData data, Config config, StepContext context) {
        SparkSession spark = SparkSteps.session(context);
        List<String> features = data.features();
        long started = System.nanoTime();
        Dataset<Row> history = spark.read().parquet(data.history());
        GBTRegressionModel fitted = SparkGbt.fit(history, features, data.target(),
                new SparkGbt.Params(config.trees(), config.maxDepth(), config.stepSize(), 1.0, 32, config.seed()));
        double seconds = (System.nanoTime() - started) / 1e9;
        Model model = SparkGbt.export(fitted, config.modelName(), features);

        List<Row> fresh = fitted.transform(SparkGbt.assemble(spark.read().parquet(data.fresh()), features, data.target()))
                .select(data.target(), "prediction").collectAsList();
        List<Row> freshFeatures = spark.read().parquet(data.fresh()).select(features.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
        float[] values = new float[freshFeatures.size() * features.size()];
        for (int r = 0; r < freshFeatures.size(); r++) {
            for (int c = 0; c < features.size(); c++) {
                values[r * features.size() + c] = (float) freshFeatures.get(r).getDouble(c);
            }
        }
        float[] served;
        try (LoadedModel loaded = ModelFormats.load().get(model.format()).load(model.content(), "trained model", model.signature())) {
            served = loaded.predict(new FeatureBatch(freshFeatures.size(), features.size(), values)).values();
        }
        double se = 0, ae = 0, maxDiff = 0;
        for (int i = 0; i < fresh.size(); i++) {
            double y = fresh.get(i).getDouble(0);
            double p = fresh.get(i).getDouble(1);
            se += (p - y) * (p - y);
            ae += Math.abs(p - y);
            maxDiff = Math.max(maxDiff, Math.abs(p - served[i]));
        }
        double rmse = Math.sqrt(se / fresh.size());
        double mae = ae / fresh.size();
        context.log("trained %d trees on %d rows in %.1f s; on %d fresh rows: rmse=%.2f mae=%.2f; exported model within %.2e of Spark's predictions",
                config.trees(), data.historyRows(), seconds, fresh.size(), rmse, mae, maxDiff);
        context.metadata("rmse", rmse);
        context.metadata("mae", mae);
        context.metadata("train_seconds", seconds);
        context.metadata("export_max_abs_diff", maxDiff);
        return model.withMetrics(Map.of("rmse", rmse, "mae", mae, "train_rows", (double) data.historyRows(), "export_max_abs_diff", maxDiff));
    }
}
