package dev.flywheel.sdk.model;

import java.util.Objects;

/**
 * One named column of a model's input or output.
 *
 * @param name     the column name a client sends (for example {@code temp})
 * @param type     the element type
 * @param nullable whether a missing value (null or NaN) is allowed for this column
 */
public record Feature(String name, FeatureType type, boolean nullable) {
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
    }

    public static Feature fp32(String name) {
        return new Feature(name, FeatureType.FP32, false);
    }
}
