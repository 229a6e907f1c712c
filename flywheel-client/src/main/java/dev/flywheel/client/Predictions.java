package dev.flywheel.client;

import java.util.List;

/**
 * The {@code predictions} of an MLflow-style {@code /invocations} answer, one per input row: a number for a model with
 * one output, a list or an object of named numbers for several.
 *
 * @param values         one value per row, as JSON gives it ({@code Double}, {@code List}, {@code Map})
 * @param modelVersion   the version that answered ({@code X-Model-Version}), or null
 */
public record Predictions(List<Object> values, String modelVersion) {
    public Predictions {
        values = List.copyOf(values);
    }

    /** One number per row; for a model with one output. */
    public double[] doubles() {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(values.get(i) instanceof Number n)) {
                throw new IllegalStateException("prediction " + i + " is " + values.get(i) + ", not a number: the model has several outputs");
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    public int size() {
        return values.size();
    }
}
