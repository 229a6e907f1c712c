package dev.flywheel.sdk.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as a step returns it: the serialized model in a named {@code format} (for example
 * {@code xgboost} or {@code onnx}), its signature and the metrics it was evaluated with. Returning a
 * {@code Model} from a step registers it as a new version of the model {@code name} in the registry.
 *
 * @param name      the registered model's name (for example {@code bike_demand})
 * @param format    the model format that can load {@code content}
 * @param content   the model file's bytes, as the format's library writes them
 * @param signature the inputs and outputs
 * @param metrics   evaluation metrics (for example {@code rmse}); may be empty
 */
public record Model(String name, String format, byte[] content, ModelSignature signature, Map<String, Double> metrics) {
    public Model {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(signature, "signature");
        metrics = Map.copyOf(metrics == null ? Map.of() : metrics);
    }

    /** The same model with one more metric. */
    public Model withMetric(String metric, double value) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.put(metric, value);
        return new Model(name, format, content, signature, m);
    }

    public Model withMetrics(Map<String, Double> more) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.putAll(more);
        return new Model(name, format, content, signature, m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model other && name.equals(other.name) && format.equals(other.format)
                && Arrays.equals(content, other.content) && signature.equals(other.signature) && metrics.equals(other.metrics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, format, Arrays.hashCode(content), signature, metrics);
    }

    @Override
    public String toString() {
        return "Model[name=" + name + ", format=" + format + ", bytes=" + content.length + ", metrics=" + metrics + "]";
    }
}
