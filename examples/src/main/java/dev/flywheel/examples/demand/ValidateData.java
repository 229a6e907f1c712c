package dev.flywheel.examples.demand;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Column;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops a run on bad data before it can reach a model: data present (a batch that is only a header is refused), every
 * expected column present and numeric, no missing values, every value in its range. The message names the batch file,
 * the column, how many values are wrong and one of them, so whoever exports the data knows what to fix.
 */
public final class ValidateData {
    public record Config(Dataset dataset) {
    }

    @Outputs
    public record Validated(Table train, Table evaluation) {
    }

    @Step
    public Validated validate(@Input("history") Table history, @Input("fresh") Table fresh,
                              @Input("files") LoadBatches.BatchFiles files, Config config, StepContext context) {
        List<String> problems = new ArrayList<>();
        if (fresh.rowCount() == 0) {
            problems.add(files.fresh() + " (the fresh batch) has no data rows, only " + (fresh.columnNames().isEmpty() ? "nothing"
                    : "a header") + "; export it again with its rows, or remove it so the previous batch is the fresh one");
        }
        if (history.rowCount() == 0) {
            problems.add("the history batches " + files.history() + " have no data rows; a model needs rows to train on");
        }
        problems.addAll(problems(history, config.dataset()));
        problems.addAll(problems(fresh, config.dataset()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid data (" + problems.size() + " problem" + (problems.size() > 1 ? "s" : "")
                    + "): " + String.join("; ", problems));
        }
        context.log("validated %d history rows and %d fresh rows", history.rowCount(), fresh.rowCount());
        return new Validated(history, fresh);
    }

    static List<String> problems(Table table, Dataset dataset) {
        List<String> problems = new ArrayList<>();
        String[] batch = table.hasColumn("batch") ? table.strings("batch") : null;
        for (Map.Entry<String, double[]> e : dataset.ranges().entrySet()) {
            String name = e.getKey();
            if (!table.hasColumn(name)) {
                problems.add(source(batch, 0) + ": column '" + name + "' is missing (found " + table.columnNames() + ")");
                continue;
            }
            Column column = table.column(name);
            if (column instanceof StringColumn) {
                problems.add(source(batch, 0) + ": column '" + name + "' holds text, expected numbers");
                continue;
            }
            double[] values = table.doubles(name);
            double min = e.getValue()[0];
            double max = e.getValue()[1];
            int bad = 0;
            int first = -1;
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(values[i]) || values[i] < min || values[i] > max) {
                    if (first < 0) {
                        first = i;
                    }
                    bad++;
                }
            }
            if (bad > 0) {
                String example = Double.isNaN(values[first]) ? "an empty cell" : "the value " + values[first];
                problems.add(source(batch, first) + ": column '" + name + "' has " + bad + " value" + (bad > 1 ? "s" : "")
                        + " missing or outside [" + fmt(min) + ", " + fmt(max) + "] (row " + (first + 1) + " has " + example + ")");
            }
        }
        return problems;
    }

    private static String source(String[] batch, int row) {
        return batch == null || batch.length == 0 ? "data" : batch[Math.max(0, row)];
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
