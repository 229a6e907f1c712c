package dev.flywheel.deploy.service;

import dev.flywheel.client.InferResponse;
import dev.flywheel.client.PredictionClient;
import dev.flywheel.client.Predictions;
import dev.flywheel.client.Tensor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A long-lived external thing a deployer manages, such as a prediction server: its record, its observed status and
 * the verbs to start and stop it. Status is observed, never assumed: {@link #status()} checks the process and its
 * health endpoint each time. Implementations are thread-safe; any number of {@code Service} objects (in any number of
 * processes) may refer to the same service.
 */
public interface Service {

    /** The record as last observed (refreshed by {@link #status()}, {@link #start}, {@link #stop}). */
    ServiceRecord record();

    /** Observes the service now (process alive and ours, health answering), stores and returns what it saw. */
    ServiceStatus status();

    /**
     * Starts the service unless it runs, and waits until it is healthy.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code DEPLOY_FAILED} with the reason when it cannot start,
     *         {@code UNAVAILABLE} when it did not become healthy within {@code timeout}
     */
    void start(Duration timeout);

    /** Stops the service and waits until it is gone; {@code force} kills it at once instead of letting requests finish. */
    void stop(Duration timeout, boolean force);

    /** The URL clients send predictions to, or null when it never started. */
    default String predictionUrl() {
        return record().predictionUrl();
    }

    /** The server's log file, when this flavor keeps one on this machine. */
    default java.util.Optional<java.nio.file.Path> logFile() {
        return java.util.Optional.empty();
    }

    /**
     * The last {@code tailLines} lines of the server's log fetched from where the flavor runs it (a cluster's pods),
     * for flavors that keep no {@link #logFile()} on this machine; empty when the flavor has a log file instead.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code UNAVAILABLE} when the logs cannot be fetched now
     */
    default java.util.Optional<List<String>> fetchLogs(int tailLines) {
        return java.util.Optional.empty();
    }

    /** The managed object, its conditions and events (a cluster flavor), or empty when the flavor has none. */
    /** What the running server serves with beyond its REST port (gRPC, batching), when the flavor knows it. */
    default java.util.Optional<ServingOptions> servingOptions() {
        return java.util.Optional.empty();
    }

    default java.util.Optional<ServiceDetails> details() {
        return java.util.Optional.empty();
    }

    /**
     * A client of this service's model (Open Inference Protocol v2 and {@code /invocations}) with default timeouts and
     * retries. It is built on each call: keep it for many predictions.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code UNAVAILABLE} when the service never started (it has no URL)
     */
    default PredictionClient client() {
        String url = predictionUrl();
        if (url == null) {
            throw new dev.flywheel.sdk.FlywheelException(dev.flywheel.sdk.ErrorCode.UNAVAILABLE, "Service " + record().uuid()
                    + " has never started, so it has no URL; start it with: flywheel served-models start " + record().uuid());
        }
        return PredictionClient.forUrl(url);
    }

    /**
     * Predicts rows given as column name to value, one map per row, as ZenML's {@code service.predict(data)} does with a
     * data frame: sent to {@code POST /invocations} as {@code dataframe_records}.
     *
     * <pre>{@code
     * double[] demand = service.predict(List.of(Map.of("hour", 8, "temp", 0.4, ...))).doubles();
     * }</pre>
     */
    default Predictions predict(List<? extends Map<String, ?>> rows) {
        return client().invocations(rows);
    }

    /** Predicts with Open Inference Protocol v2 tensors ({@code POST /v2/models/NAME/infer}). */
    default InferResponse predict(Tensor... inputs) {
        return client().infer(inputs);
    }

    default boolean isRunning() {
        return status() instanceof ServiceStatus.Active;
    }

    default boolean isFailed() {
        return status() instanceof ServiceStatus.Failed;
    }
}
