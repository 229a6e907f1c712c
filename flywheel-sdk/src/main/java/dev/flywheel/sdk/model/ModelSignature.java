package dev.flywheel.sdk.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a model takes and returns: its input features in the order the model reads them, and its outputs.
 * Tabular models take one row per example; {@code outputs} usually holds one column ({@code prediction})
 * for a regressor and one column per class probability for a classifier.
 */
public record ModelSignature(List<Feature> inputs, List<Feature> outputs) {
    public ModelSignature {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a model signature needs at least one input feature");
        }
        requireUnique(inputs, "input");
        requireUnique(outputs, "output");
    }

    private static void requireUnique(List<Feature> features, String side) {
        Set<String> seen = new HashSet<>();
        for (Feature f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("duplicate " + side + " feature '" + f.name() + "' in model signature");
            }
        }
    }

    /** A signature of float inputs with the given names and one float output named {@code prediction}. */
    public static ModelSignature regression(List<String> featureNames) {
        return new ModelSignature(featureNames.stream().map(Feature::fp32).toList(), List.of(Feature.fp32("prediction")));
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
