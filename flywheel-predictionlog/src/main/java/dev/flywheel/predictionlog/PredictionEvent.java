package dev.flywheel.predictionlog;

import java.time.Instant;
import java.util.Objects;

/**
 * One answered prediction request: {@code rows} input rows of {@code schema.inputs().size()} values each and the
 * model's {@code schema.outputs().size()} values per row, both row-major. The arrays are kept, not copied: the
 * caller must not change them after {@link PredictionLog#record}.
 *
 * @param requestId    the request's id (the client's {@code X-Request-Id} or one the server made)
 * @param time         when the request arrived
 * @param latencyNanos time from arrival to the answer
 */
public record PredictionEvent(String requestId, Instant time, LogSchema schema, int rows, float[] inputs, float[] outputs,
                              long latencyNanos) {
    public PredictionEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(schema, "schema");
        if (rows < 0 || inputs.length != rows * schema.inputs().size() || outputs.length != rows * schema.outputs().size()) {
            throw new IllegalArgumentException("event of " + rows + " rows has " + inputs.length + " input and " + outputs.length
                    + " output values; the schema has " + schema.inputs().size() + " inputs and " + schema.outputs().size() + " outputs");
        }
    }
}
