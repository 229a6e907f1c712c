package dev.flywheel.sdk.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One tensor of a model graph's interface, as KServe and Triton describe it: its name, element type and shape. The
 * first dimension is the batch; {@code -1} is a dynamic dimension (ONNX's {@code None} or a named dimension).
 *
 * @param name  the tensor's name in the graph (for example {@code features}); OIP requests name it
 * @param type  the element type
 * @param shape at least one dimension, each {@code -1} (dynamic) or positive
 */
public record TensorSpec(String name, FeatureType type, List<Long> shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        if (name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        if (shape.isEmpty()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs a shape with its batch dimension first, such as [-1, 12]");
        }
        for (long d : shape) {
            if (d < -1 || d == 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has dimension " + d + " in " + shape
                        + "; dimensions are positive, or -1 for dynamic");
            }
        }
    }

    /** Values per batch row: the product of the dimensions after the first (1 for shape {@code [N]}); -1 if one is dynamic. */
    public long rowWidth() {
        long width = 1;
        for (int i = 1; i < shape.size(); i++) {
            if (shape.get(i) < 0) {
                return -1;
            }
            width *= shape.get(i);
        }
        return width;
    }

    /** The shape as OIP metadata writes it, {@code [-1, 12]}. */
    public String shapeText() {
        return shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return name + " " + type + " " + shapeText();
    }
}
