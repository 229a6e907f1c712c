package dev.flywheel.predictionlog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one served model version's log rows hold: the model's name and version, its input columns and its output
 * columns, in the order the model takes and returns them. One schema per served version; a swap starts a new file.
 *
 * @param model   the model's registered name: letters, digits, {@code . _ -} (it names a folder)
 * @param version the registered version, >= 1
 * @param inputs  input column names, unique, at least one
 * @param outputs output column names, unique, at least one (a one-column model logs {@code prediction})
 */
public record LogSchema(String model, int version, List<String> inputs, List<String> outputs) {
    public LogSchema {
        Objects.requireNonNull(model, "model");
        if (!model.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("model name '" + model + "' cannot name a log folder; use letters, digits, '.', '_' or '-'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("a log schema needs at least one input and one output column");
        }
        Set<String> seen = new HashSet<>();
        for (String name : inputs) {
            if (name.isEmpty() || !seen.add(name)) {
                throw new IllegalArgumentException("input column names must be non-empty and unique, got " + inputs);
            }
        }
        if (new HashSet<>(outputs).size() != outputs.size()) {
            throw new IllegalArgumentException("output column names must be unique, got " + outputs);
        }
    }

    /** The usual output naming: {@code prediction} for one column, {@code prediction_0..n-1} for more. */
    public static List<String> predictionColumns(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        if (width == 1) {
            return List.of("prediction");
        }
        return java.util.stream.IntStream.range(0, width).mapToObj(i -> "prediction_" + i).toList();
    }
}
