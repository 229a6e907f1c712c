package dev.flywheel.examples.demand;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.validate.DataValidator;
import dev.flywheel.sdk.validate.Expectations;
import dev.flywheel.sdk.validate.ValidationReport;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops a run on bad data before it can reach a model: data present (a batch that is only a header is refused), every
 * expected column present and numeric, no missing
 * values, every value in its range. The checks are the stack's data validator's (the embedded {@code ranges} flavor
 * unless the stack names another); its messages name the batch file, the column, how many values are wrong and one
 * of them, so whoever exports the data knows what to fix.
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
        DataValidator validator = context.component(DataValidator.class);
        Expectations expected = expectations(config.dataset());
        problems.addAll(validator.validate(history, expected).problems());
        problems.addAll(validator.validate(fresh, expected).problems());
        new ValidationReport(problems).requireValid();
        context.log("validated %d history rows and %d fresh rows", history.rowCount(), fresh.rowCount());
        return new Validated(history, fresh);
    }

    /** The dataset's ranges, with each row's batch file named in problems. */
    public static Expectations expectations(Dataset dataset) {
        return Expectations.ranges(dataset.ranges(), "batch");
    }
}
