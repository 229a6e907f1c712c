package dev.flywheel.predictionlog;

/**
 * Logged rows of one served version, column by column: row {@code i} is request {@code requestIds[i]}'s row
 * {@code rowInRequest[i]}, answered at {@code timesMicros[i]} (epoch microseconds, UTC); {@code inputs[c][i]} is
 * input column {@code c} of {@link LogSchema#inputs()}, {@code outputs[c][i]} output column {@code c}.
 */
public record LoggedRows(LogSchema schema, String[] requestIds, int[] rowInRequest, long[] timesMicros,
                         double[] latencyMillis, float[][] inputs, float[][] outputs) {
    public int size() {
        return requestIds.length;
    }
}
