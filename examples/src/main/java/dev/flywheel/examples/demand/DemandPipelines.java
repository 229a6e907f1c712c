package dev.flywheel.examples.demand;

import dev.flywheel.cd.DeployIfBetter;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.util.List;

/** Registers the demand forecasting pipeline, so {@code flywheel run demand_forecast} and schedules can start it. */
public final class DemandPipelines implements PipelineProvider {
    public static final String NAME = "demand_forecast";
    /** Where the registered pipelines read their batches, relative to the folder a run starts in. */
    public static final String DATA_FOLDER = "data/incoming";
    private static final String SAMPLE_HINT = "flywheel init --example writes a sample; or run with -p load_batches.folder=DIR";

    /** Load the newest batches, validate them, train and evaluate an XGBoost model. */
    public static Pipeline training(String dataFolder) {
        return training(NAME, dataFolder, Dataset.generatedDemand(), "demand");
    }

    /** The same pipeline for any {@link Dataset}: batches of CSV files in {@code dataFolder}. */
    public static Pipeline training(String pipelineName, String dataFolder, Dataset dataset, String modelName) {
        return Pipeline.named(pipelineName)
                .description(dataset.name() + ": load batches, validate, train XGBoost, evaluate on fresh data")
                .readsFiles(dataFolder, LoadBatches.GLOB, SAMPLE_HINT)
                .step(StepSpec.of(LoadBatches.class).withConfig(new LoadBatches.Config(dataFolder, 3)).withoutCache())
                .step(ValidateData.class, new ValidateData.Config(dataset))
                .step(TrainXgboost.class, new TrainXgboost.Config(modelName, dataset, 60, 6, 0.2))
                .build();
    }

    /**
     * Continuous training and deployment: the training pipeline, then the deployment gate, which deploys the new
     * version only if its rmse on the fresh data is at most {@code maxRmse} and beats the production version's rmse on
     * the same data by at least {@code margin}.
     */
    public static Pipeline continuousTraining(String pipelineName, String dataFolder, Dataset dataset, String modelName,
                                              double maxRmse, double margin) {
        return Pipeline.named(pipelineName)
                .description(dataset.name() + ": load batches, validate, train XGBoost, evaluate, gate, deploy")
                .readsFiles(dataFolder, LoadBatches.GLOB, SAMPLE_HINT)
                .step(StepSpec.of(LoadBatches.class).withConfig(new LoadBatches.Config(dataFolder, 3)).withoutCache())
                .step(ValidateData.class, new ValidateData.Config(dataset))
                .step(TrainXgboost.class, new TrainXgboost.Config(modelName, dataset, 60, 6, 0.2))
                .step(StepSpec.of(DeployIfBetter.class).withConfig(new DeployIfBetter.Config("rmse", dataset.target(), maxRmse, margin))
                        .withoutCache())
                .build();
    }

    @Override
    public List<Pipeline> pipelines() {
        String data = System.getProperty("flywheel.demand.data", DATA_FOLDER);
        return List.of(training(data), continuousTraining("demand_cd", data, Dataset.generatedDemand(), "demand", 100, 0.5));
    }
}
