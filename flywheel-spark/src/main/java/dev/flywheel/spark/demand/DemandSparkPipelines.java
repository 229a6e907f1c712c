package dev.flywheel.spark.demand;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.time.Duration;
import java.util.List;

/**
 * {@code demand_spark}: the demand forecast of {@code demand_forecast} (same {@code data/incoming} batches, same
 * features and target) with data preparation and training on the stack's Spark step operator.
 */
public final class DemandSparkPipelines implements PipelineProvider {
    public static final String NAME = "demand_spark";
    public static final List<String> FEATURES = List.of("month", "hour", "weekday", "workingday", "holiday", "weather", "temp",
            "humidity", "windspeed");
    public static final String TARGET = "demand";

    /** The pipeline reading {@code dataFolder}; Parquet goes to {@code preparedFolder}; each Spark step gets up to an hour. */
    public static Pipeline training(String dataFolder, String preparedFolder, TrainGbtOnSpark.Config train) {
        return training(dataFolder, preparedFolder, train, Duration.ofHours(1));
    }

    /** As {@link #training(String, String, TrainGbtOnSpark.Config)}, each Spark step killed after {@code timeout}. */
    public static Pipeline training(String dataFolder, String preparedFolder, TrainGbtOnSpark.Config train, Duration timeout) {
        return Pipeline.named(NAME)
                .description("demand forecast on Spark: batches to Parquet, distributed gradient-boosted trees, XGBoost export")
                .readsFiles(dataFolder, "batch-*.csv", "flywheel init --example writes a sample; or run with -p prepare_with_spark.folder=DIR")
                .step(StepSpec.of(PrepareWithSpark.class)
                        .withConfig(new PrepareWithSpark.Config(dataFolder, "batch-*.csv", preparedFolder, FEATURES, TARGET))
                        .onStepOperator().withoutCache().withTimeout(timeout))
                .step(StepSpec.of(TrainGbtOnSpark.class).withConfig(train).onStepOperator().withTimeout(timeout))
                .build();
    }

    /** The settings used by {@code flywheel run demand_spark}: 60 trees of depth 6, learning rate 0.2, like demand_forecast. */
    public static TrainGbtOnSpark.Config defaults() {
        return new TrainGbtOnSpark.Config("demand", 60, 6, 0.2, 7);
    }

    @Override
    public List<Pipeline> pipelines() {
        return List.of(training(System.getProperty("flywheel.demand.data", "data/incoming"), "data/prepared", defaults()));
    }
}
