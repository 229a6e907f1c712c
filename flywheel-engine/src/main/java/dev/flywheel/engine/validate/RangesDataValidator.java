package dev.flywheel.engine.validate;

import dev.flywheel.sdk.data.Column;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.validate.DataValidator;
import dev.flywheel.sdk.validate.Expectations;
import dev.flywheel.sdk.validate.ValidationReport;

import java.util.ArrayList;
import java.util.List;

/**
 * The embedded data validator ({@code ranges}): every expected column present and numeric, every value inside its
 * range, and (unless allowed) none missing. A problem names the source of the first bad row (from the expectations'
 * source column), the column, how many values are wrong and one of them, so whoever exports the data knows what to fix.
 */
public final class RangesDataValidator implements DataValidator {
    private final boolean allowMissing;

    /** @param allowMissing whether an empty cell is accepted (else it is a problem like a value out of range) */
    public RangesDataValidator(boolean allowMissing) {
        this.allowMissing = allowMissing;
    }

    @Override
    public ValidationReport validate(Table table, Expectations expectations) {
        List<String> problems = new ArrayList<>();
        String sourceColumn = expectations.sourceColumn();
        String[] sources = sourceColumn != null && table.hasColumn(sourceColumn) ? table.strings(sourceColumn) : null;
        for (Expectations.ColumnRange range : expectations.columns()) {
            String name = range.column();
            if (!table.hasColumn(name)) {
                problems.add(source(sources, 0) + ": column '" + name + "' is missing (found " + table.columnNames() + ")");
                continue;
            }
            Column column = table.column(name);
            if (column instanceof StringColumn) {
                problems.add(source(sources, 0) + ": column '" + name + "' holds text, expected numbers");
                continue;
            }
            double[] values = table.doubles(name);
            int bad = 0;
            int first = -1;
            for (int i = 0; i < values.length; i++) {
                boolean missing = Double.isNaN(values[i]);
                if ((missing && !allowMissing) || (!missing && (values[i] < range.min() || values[i] > range.max()))) {
                    if (first < 0) {
                        first = i;
                    }
                    bad++;
                }
            }
            if (bad > 0) {
                String example = Double.isNaN(values[first]) ? "an empty cell" : "the value " + values[first];
                problems.add(source(sources, first) + ": column '" + name + "' has " + bad + " value" + (bad > 1 ? "s" : "")
                        + (allowMissing ? "" : " missing or") + " outside [" + fmt(range.min()) + ", " + fmt(range.max()) + "] (row "
                        + (first + 1) + " has " + example + ")");
            }
        }
        return new ValidationReport(problems);
    }

    private static String source(String[] sources, int row) {
        return sources == null || sources.length == 0 ? "data" : sources[Math.max(0, row)];
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
