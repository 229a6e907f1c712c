package dev.flywheel.formats;

/**
 * Rows of model input in the order of the signature's inputs, row-major, as 32-bit floats; a missing value
 * is {@link Float#NaN}. This is the layout both XGBoost and onnxruntime take without copying again.
 *
 * @param rows    number of rows
 * @param columns number of input features
 * @param values  {@code rows * columns} values; row {@code r}, column {@code c} is at {@code r * columns + c}
 */
public record FeatureBatch(int rows, int columns, float[] values) {
    public FeatureBatch {
        if (rows < 0 || columns <= 0) {
            throw new IllegalArgumentException("a feature batch needs rows >= 0 and columns > 0, got " + rows + "x" + columns);
        }
        if (values.length != rows * columns) {
            throw new IllegalArgumentException("a " + rows + "x" + columns + " feature batch needs " + rows * columns
                    + " values, got " + values.length);
        }
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }
}
