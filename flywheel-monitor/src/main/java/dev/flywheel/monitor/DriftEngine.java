package dev.flywheel.monitor;

import dev.flywheel.monitor.internal.ColumnComparison;
import dev.flywheel.monitor.internal.ColumnData;
import dev.flywheel.monitor.internal.ParallelColumns;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Measures data drift between a reference (training data, or its {@link ReferenceProfile}) and current data, with
 * Evidently's defaults so the results are comparable, and SciPy's numbers.
 *
 * <p>Per column, unless {@link DriftConfig#methods()} says otherwise, with n the reference's present values and k
 * the distinct values of both samples together:
 * <ul>
 * <li>n &lt;= 1,000: numeric with k &gt; 5: two-sample Kolmogorov-Smirnov (drift at p &lt; 0.05); otherwise
 * chi-squared (p &lt; 0.05), or the proportion Z-test (p &lt; 0.05) when k &lt;= 2;</li>
 * <li>n &gt; 1,000: numeric with k &gt; 5: Wasserstein distance / reference standard deviation (drift at &gt;= 0.1);
 * otherwise Jensen-Shannon distance (&gt;= 0.1).</li>
 * </ul>
 * PSI is reported beside every column. The dataset drifts when at least {@link DriftConfig#driftShare()} of the
 * columns drift. Missing values (empty, NaN, infinite) are left out of the tests and reported as shares. A column
 * with no values in the current data cannot be tested; it is reported as drifted, with a note.
 *
 * <p>Prediction drift is the same comparison on the model's output column
 * ({@code config.withColumns(List.of("prediction"))}).
 *
 * <p>Immutable and thread-safe; each call compares up to {@link DriftConfig#parallelism()} columns at a time.
 */
public final class DriftEngine {
    private final DriftConfig config;

    private DriftEngine(DriftConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public static DriftEngine create(DriftConfig config) {
        return new DriftEngine(config);
    }

    public static DriftEngine withDefaults() {
        return new DriftEngine(DriftConfig.defaults());
    }

    public DriftConfig config() {
        return config;
    }

    /** Drift of {@code current} against the reference table. */
    public DriftReport compare(Table reference, Table current) {
        if (reference.rowCount() == 0) {
            throw FlywheelException.invalid("the reference data has no rows; drift needs a reference with values");
        }
        List<String> columns = columns(reference.columnNames(), current);
        return report(columns, reference.rowCount(), current, name -> ColumnData.of(reference, name));
    }

    /** Drift of {@code current} against a stored profile (tests run on the profile's sample and exact counts). */
    public DriftReport compare(ReferenceProfile reference, Table current) {
        if (reference.rows() == 0) {
            throw FlywheelException.invalid("the reference profile was made from no rows; drift needs a reference"
                    + " with values");
        }
        List<String> columns = columns(reference.columnNames(), current);
        return report(columns, reference.rows(), current, name -> ColumnData.of(reference.column(name)));
    }

    /**
     * Drift between two CSV files with header rows (read as {@link Table#readCsv} reads them, both at once).
     *
     * @throws FlywheelException {@code NOT_FOUND} for a missing file, {@code INVALID_ARGUMENT} for malformed CSV
     *                           or columns that cannot be compared
     */
    public DriftReport compareCsv(Path reference, Path current) {
        List<Table> tables = ParallelColumns.map(List.of(reference, current), 2, Table::readCsv);
        return compare(tables.get(0), tables.get(1));
    }

    private List<String> columns(List<String> referenceColumns, Table current) {
        if (current.rowCount() == 0) {
            throw FlywheelException.invalid("the current data has no rows; drift needs at least one row to compare");
        }
        List<String> chosen = config.columns().isEmpty() ? referenceColumns : config.columns();
        Set<String> unique = new LinkedHashSet<>(chosen);
        if (unique.size() != chosen.size()) {
            throw FlywheelException.invalid("the columns to compare " + chosen + " name a column twice");
        }
        if (chosen.isEmpty()) {
            throw FlywheelException.invalid("the reference has no columns to compare");
        }
        for (String name : chosen) {
            if (!referenceColumns.contains(name)) {
                throw FlywheelException.invalid("column '" + name + "' is not in the reference; its columns are "
                        + referenceColumns);
            }
            if (!current.hasColumn(name)) {
                throw FlywheelException.invalid("column '" + name + "' is in the reference but not in the current"
                        + " data (its columns are " + current.columnNames() + "); compare only the columns both have");
            }
        }
        checkConfigured(config.methods(), "a method", unique);
        checkConfigured(config.thresholds(), "a threshold", unique);
        return List.copyOf(unique);
    }

    private static void checkConfigured(Map<String, ?> perColumn, String what, Set<String> compared) {
        for (String name : perColumn.keySet()) {
            if (!compared.contains(name)) {
                throw FlywheelException.invalid(what + " is set for column '" + name + "', which is not compared;"
                        + " compared columns: " + new ArrayList<>(compared));
            }
        }
    }

    private DriftReport report(List<String> columns, long referenceRows, Table current,
                               Function<String, ColumnData> reference) {
        ColumnComparison comparison = new ColumnComparison(config);
        List<ColumnDrift> results = ParallelColumns.map(columns, config.parallelism(),
                name -> comparison.compare(reference.apply(name), ColumnData.of(current, name)));
        int drifted = (int) results.stream().filter(ColumnDrift::drifted).count();
        return new DriftReport(referenceRows, current.rowCount(), results,
                DatasetDrift.of(drifted, results.size(), config.driftShare()));
    }
}
