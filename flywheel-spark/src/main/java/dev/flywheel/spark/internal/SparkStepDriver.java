package dev.flywheel.spark.internal;

import dev.flywheel.engine.run.RemoteStep;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.engine.run.StepJobResult;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main class of a step's Spark application (the driver): opens the SparkSession spark-submit configured, runs
 * the step with it among the step's components, adds what Spark saw (application id, executors, tasks per
 * executor) to the step's metadata, and stops the session.
 */
public final class SparkStepDriver {
    private SparkStepDriver() {
    }

    public static void main(String[] args) {
        Path jobFile = Path.of(args[0]);
        String listeners = new SparkConf().get("spark.extraListeners", "");
        SparkSession spark = SparkSession.builder()
                .config("spark.extraListeners", (listeners.isBlank() ? "" : listeners + ",") + ExecutorTracker.class.getName())
                .getOrCreate();
        ExecutorTracker tracker = ExecutorTracker.current();
        StepJobResult result;
        try {
            StepComponents components = new StepComponents()
                    .register(SparkSession.class, spark)
                    .register(JavaSparkContext.class, JavaSparkContext.fromSparkContext(spark.sparkContext()));
            result = RemoteStep.run(jobFile, components, Thread.currentThread().getContextClassLoader());
            Map<String, Object> metadata = new TreeMap<>(result.metadata());
            metadata.put("spark.app_id", spark.sparkContext().applicationId());
            metadata.put("spark.executors", tracker.executors());
            metadata.put("spark.executor_workers", tracker.workers());
            metadata.put("spark.tasks_by_executor", tracker.tasks());
            result = new StepJobResult(result.succeeded(), result.error(), result.outputs(), metadata, result.log());
            result.write(StepJob.read(jobFile).resultFile());
        } finally {
            spark.stop();
        }
        System.exit(result.succeeded() ? 0 : 1);
    }
}
