package dev.flywheel.cd.metric;

import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;

/** Checks shared by the metrics: row counts, and class labels that are integers 0..k-1. */
final class Labels {
    private Labels() {
    }

    static void requireRows(double[] y, Predictions p) {
        if (y.length == 0) {
            throw FlywheelException.invalid("The evaluation data has no rows; a metric needs at least one");
        }
        if (p.rows() != y.length) {
            throw FlywheelException.invalid("The model answered " + p.rows() + " rows for " + y.length + " labels");
        }
    }

    /** The labels as class indexes, checked against the number of classes the model predicts. */
    static int[] classes(double[] y, int classes) {
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            double v = y[i];
            if (Double.isNaN(v) || v != Math.rint(v) || v < 0 || v >= classes) {
                throw FlywheelException.invalid("Classification metrics need labels 0.." + (classes - 1) + " (the model predicts " + classes
                        + " classes), but row " + i + " of the evaluation data has label " + v
                        + "; encode the label column as class numbers, or use a regression metric (rmse, mae, mape, r2)");
            }
            out[i] = (int) v;
        }
        return out;
    }
}
