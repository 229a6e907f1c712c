package dev.flywheel.client;

import java.util.List;

/**
 * What a prediction server says about its model ({@code GET /v2/models/NAME}): the tensors it takes and returns.
 *
 * @param name     the model's name
 * @param versions the versions it serves (usually one)
 * @param platform the serving platform, such as {@code flywheel-xgboost}
 * @param inputs   the input tensors: name, element type, shape (-1 for a dynamic dimension)
 * @param outputs  the output tensors
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelMetadata {
        versions = List.copyOf(versions);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** A tensor as metadata describes it. */
    public record TensorSpec(String name, String datatype, List<Long> shape) {
        public TensorSpec {
            shape = List.copyOf(shape);
        }
    }
}
