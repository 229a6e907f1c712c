package dev.flywheel.formats;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a model file declares (an ONNX graph's inputs and outputs), read from the file itself: what KServe or
 * Triton would serve. Dimensions may be dynamic ({@code -1}).
 */
public record GraphSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public GraphSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * The signature to register: these tensors, with columns named {@code featureNames} when given (for dataframe
     * clients) or after the tensors otherwise. One input whose width is dynamic ({@code [N, ?]}) takes its width from
     * the names; without names every input's width must be fixed.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the tensors when the names do not fit them
     */
    public ModelSignature signature(List<String> featureNames, String origin) {
        List<TensorSpec> resolved = new ArrayList<>(inputs);
        long fixed = 0;
        int dynamic = -1;
        for (int i = 0; i < inputs.size(); i++) {
            TensorSpec t = inputs.get(i);
            if (t.rowWidth() >= 0) {
                fixed += t.rowWidth();
            } else if (dynamic >= 0 || t.shape().size() != 2) {
                throw FlywheelException.invalid("Model file " + origin + " takes " + inputs + ": the width of input '" + t.name()
                        + "' is not fixed by the graph" + (dynamic >= 0 ? ", nor is the width of '" + inputs.get(dynamic).name() + "'" : "")
                        + ", so its columns cannot be laid out; export the model with a fixed feature dimension");
            } else {
                dynamic = i;
            }
        }
        if (dynamic >= 0) {
            TensorSpec t = inputs.get(dynamic);
            if (featureNames == null || featureNames.size() <= fixed) {
                throw FlywheelException.invalid("Model file " + origin + " takes input '" + t.name() + "' of shape " + t.shapeText()
                        + ", whose width the graph leaves open; name its columns with --features a,b,c (one name per value of a row)");
            }
            resolved.set(dynamic, new TensorSpec(t.name(), t.type(), List.of(t.shape().get(0), featureNames.size() - fixed)));
        }
        ModelSignature own = ModelSignature.ofTensors(resolved, outputs);
        // Names that are the tensors' own (one input per feature, in any order) change nothing: the graph's order stays.
        if (featureNames == null || new java.util.HashSet<>(featureNames).equals(new java.util.HashSet<>(own.inputNames()))) {
            return own;
        }
        try {
            return own.withInputNames(featureNames);
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("--features for model file " + origin + ": " + e.getMessage());
        }
    }
}
