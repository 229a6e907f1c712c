package dev.flywheel.formats;

/**
 * A model's answer for a batch: {@code width} values per row, row-major (width 1 for a regressor or a
 * label, one column per class for probabilities).
 */
public record Predictions(int rows, int width, float[] values) {
    public Predictions {
        if (values.length != rows * width) {
            throw new IllegalArgumentException("predictions of " + rows + "x" + width + " need " + rows * width
                    + " values, got " + values.length);
        }
    }

    public float get(int row, int column) {
        return values[row * width + column];
    }
}
