package dev.flywheel.sdk.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a model takes and returns. {@code inputs} are its input columns in the order the model reads them, and
 * {@code outputs} its output columns: one ({@code prediction}) for a regressor, one per class probability for a
 * classifier. Tabular clients (dataframes, CSV, per-column OIP inputs) address the columns by name.
 *
 * <p>A model whose file declares a graph (ONNX) also has {@code inputTensors} and {@code outputTensors}: the tensors
 * the graph takes and returns, as KServe and Triton serve them. The columns then lay out the input tensors' values
 * per batch row, tensor after tensor (a {@code [N, 12]} tensor is 12 columns, {@code [N]} or {@code [N, 1]} one).
 * Signatures written before tensors existed read with empty tensor lists.
 */
public record ModelSignature(List<Feature> inputs, List<Feature> outputs, List<TensorSpec> inputTensors,
                             List<TensorSpec> outputTensors) {
    public ModelSignature {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        inputTensors = inputTensors == null ? List.of() : List.copyOf(inputTensors);
        outputTensors = outputTensors == null ? List.of() : List.copyOf(outputTensors);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a model signature needs at least one input feature");
        }
        requireUnique(inputs.stream().map(Feature::name).toList(), "input feature");
        requireUnique(outputs.stream().map(Feature::name).toList(), "output feature");
        requireUnique(inputTensors.stream().map(TensorSpec::name).toList(), "input tensor");
        requireUnique(outputTensors.stream().map(TensorSpec::name).toList(), "output tensor");
        if (!inputTensors.isEmpty()) {
            long columns = 0;
            for (TensorSpec t : inputTensors) {
                if (t.rowWidth() < 0) {
                    throw new IllegalArgumentException("input tensor " + t + " has a dynamic width; its columns must be known");
                }
                columns += t.rowWidth();
            }
            if (columns != inputs.size()) {
                throw new IllegalArgumentException("the input tensors " + inputTensors + " hold " + columns
                        + " values per row, but " + inputs.size() + " input columns are named " + inputs.stream().map(Feature::name).toList());
            }
        }
    }

    /** A signature of columns only (a model without a graph of tensors). */
    public ModelSignature(List<Feature> inputs, List<Feature> outputs) {
        this(inputs, outputs, List.of(), List.of());
    }

    private static void requireUnique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("duplicate " + what + " '" + name + "' in model signature");
            }
        }
    }

    /** A signature of float inputs with the given names and one float output named {@code prediction}. */
    public static ModelSignature regression(List<String> featureNames) {
        return new ModelSignature(featureNames.stream().map(Feature::fp32).toList(), List.of(Feature.fp32("prediction")));
    }

    /**
     * A graph's own signature: its tensors, and columns named after them ({@link #columnNames}) typed as their tensor.
     * Output columns are left empty while an output tensor's width is unknown.
     */
    public static ModelSignature ofTensors(List<TensorSpec> inputTensors, List<TensorSpec> outputTensors) {
        return new ModelSignature(columns(inputTensors), outputTensors.stream().allMatch(t -> t.rowWidth() >= 0)
                ? columns(outputTensors) : List.of(), inputTensors, outputTensors);
    }

    /**
     * The column names derived from tensors: a one-value tensor gives its own name, a wider one {@code name_0},
     * {@code name_1}, ... in row-major order.
     */
    public static List<String> columnNames(List<TensorSpec> tensors) {
        List<String> names = new ArrayList<>();
        for (TensorSpec t : tensors) {
            long width = t.rowWidth();
            if (width == 1) {
                names.add(t.name());
            } else {
                for (long i = 0; i < width; i++) {
                    names.add(t.name() + "_" + i);
                }
            }
        }
        return names;
    }

    private static List<Feature> columns(List<TensorSpec> tensors) {
        List<Feature> columns = new ArrayList<>();
        List<String> names = columnNames(tensors);
        int i = 0;
        for (TensorSpec t : tensors) {
            for (long c = 0; c < t.rowWidth(); c++) {
                columns.add(new Feature(names.get(i++), t.type(), false));
            }
        }
        return columns;
    }

    /** This signature with its input columns renamed (in order), for example from {@code --features a,b,c}. */
    public ModelSignature withInputNames(List<String> names) {
        if (names.size() != inputs.size()) {
            throw new IllegalArgumentException(names.size() + " feature names " + names + " for " + inputs.size() + " input columns"
                    + (inputTensors.isEmpty() ? "" : " (the tensors " + inputTensors + ")"));
        }
        List<Feature> renamed = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Feature f = inputs.get(i);
            renamed.add(new Feature(names.get(i), f.type(), f.nullable()));
        }
        return new ModelSignature(renamed, outputs, inputTensors, outputTensors);
    }

    /** Whether the model declares its graph's tensors (then OIP requests send those tensors). */
    public boolean hasTensors() {
        return !inputTensors.isEmpty();
    }

    /**
     * Whether the input columns have names of their own (a tabular model, or a graph imported with feature names), so
     * that clients may send one column per OIP input or dataframe column; false when they are only derived from tensors.
     */
    public boolean namedColumns() {
        return inputTensors.isEmpty() || !inputNames().equals(columnNames(inputTensors));
    }

    public List<String> inputNames() {
        return inputs.stream().map(Feature::name).toList();
    }

    public int inputIndex(String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
