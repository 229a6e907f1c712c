package dev.flywheel.client.internal;

import dev.flywheel.client.InferResponse;
import dev.flywheel.client.ModelMetadata;
import dev.flywheel.client.Tensor;

import java.util.List;

/**
 * The Open Inference Protocol calls a {@code PredictionClient} makes over a transport other than its built-in REST:
 * gRPC today. Implementations are thread-safe; errors are {@code FlywheelException}s with the same codes REST gives.
 */
public interface OipTransport extends AutoCloseable {
    InferResponse infer(String model, String version, List<Tensor> inputs, List<String> outputs);

    ModelMetadata metadata(String model, String version);

    /** Whether the server is ready; false when it cannot be reached. */
    boolean serverReady();

    /** Whether the server serves this model (and version, when not null) and is ready; false when it cannot be reached. */
    boolean modelReady(String model, String version);

    /** Releases the connection; calls after it fail. */
    @Override
    void close();
}
