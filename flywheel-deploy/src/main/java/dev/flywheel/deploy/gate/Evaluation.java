package dev.flywheel.deploy.gate;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;

import java.util.List;

/** A regression metric of a loaded model on evaluation data; every version is scored on exactly the same rows. */
final class Evaluation {
    private Evaluation() {
    }

    static double score(LoadedModel model, Table data, String labelColumn, String metric, String what) {
        List<String> features = model.signature().inputNames();
        for (String f : features) {
            if (!data.hasColumn(f)) {
                throw FlywheelException.invalid("The evaluation data has no column '" + f + "' that " + what + " needs; it has "
                        + data.columnNames());
            }
        }
        if (!data.hasColumn(labelColumn)) {
            throw FlywheelException.invalid("The evaluation data has no label column '" + labelColumn + "'; set the gate's labelColumn to one of "
                    + data.columnNames());
        }
        if (data.rowCount() == 0) {
            throw FlywheelException.invalid("The evaluation data is empty; the gate needs rows to compare versions on");
        }
        FeatureBatch batch = new FeatureBatch(data.rowCount(), features.size(), data.toRowMajorFloats(features));
        Predictions p = model.predict(batch);
        double[] y = data.doubles(labelColumn);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double d = p.get(i, 0) - y[i];
            sum += "mae".equals(metric) ? Math.abs(d) : d * d;
        }
        return "mae".equals(metric) ? sum / y.length : Math.sqrt(sum / y.length);
    }
}
