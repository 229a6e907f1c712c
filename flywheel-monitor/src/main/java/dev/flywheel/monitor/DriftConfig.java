package dev.flywheel.monitor;

import dev.flywheel.sdk.FlywheelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DriftEngine} compares and how. Immutable; derive variants with the {@code with...} methods:
 *
 * <pre>{@code
 * DriftConfig config = DriftConfig.defaults()
 *         .withColumns(List.of("temp", "hum", "season"))
 *         .withMethod("temp", DriftMethod.KS)
 *         .withThreshold("temp", 0.01);
 * }</pre>
 *
 * <p>The defaults are Evidently's: each column's method is chosen from its kind, the reference's size and the
 * number of distinct values (see {@link DriftEngine}); the dataset drifts when at least half of the columns do.
 *
 * @param columns            the columns to compare, in report order; empty means every column of the reference
 * @param method             a method for every column it applies to (a numeric-only method leaves categorical
 *                           columns to the automatic choice), or null for the automatic choice
 * @param methods            a method per column, overriding {@code method} and the automatic choice
 * @param threshold          a threshold for every column, or null for each method's default
 * @param thresholds         a threshold per column, overriding {@code threshold} and the method's default (a
 *                           significance level for methods with a p-value, a distance otherwise)
 * @param driftShare         the dataset drifts when at least this share of the compared columns drift, in (0, 1]
 * @param psiWarn            PSI from which a column's {@link PsiLevel} is {@code warn}
 * @param psiAct             PSI from which it is {@code act}
 * @param smallReferenceRows a reference with at most this many values per column gets the small-data tests
 *                           (Kolmogorov-Smirnov, chi-squared, Z) instead of the distances
 * @param lowCardinality     a numeric column with at most this many distinct values is compared as categories
 * @param parallelism        how many columns are compared at the same time (threads), at least 1
 */
public record DriftConfig(List<String> columns, DriftMethod method, Map<String, DriftMethod> methods,
                          Double threshold, Map<String, Double> thresholds, double driftShare, double psiWarn,
                          double psiAct, int smallReferenceRows, int lowCardinality, int parallelism) {

    public DriftConfig {
        columns = List.copyOf(columns);
        methods = Map.copyOf(methods);
        thresholds = Map.copyOf(thresholds);
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw FlywheelException.invalid("dataset drift share " + driftShare + " is out of range; use a share in"
                    + " (0, 1], for example 0.5 for 'at least half of the columns drift'");
        }
        if (!(psiWarn > 0 && psiAct >= psiWarn && Double.isFinite(psiAct))) {
            throw FlywheelException.invalid("PSI levels warn=" + psiWarn + ", act=" + psiAct + " are not valid; use"
                    + " 0 < warn <= act, for example 0.1 and 0.25");
        }
        if (smallReferenceRows < 0 || lowCardinality < 0) {
            throw FlywheelException.invalid("smallReferenceRows and lowCardinality must not be negative");
        }
        if (parallelism < 1) {
            throw FlywheelException.invalid("parallelism " + parallelism + " must be at least 1");
        }
        thresholds.forEach((column, t) -> checkThreshold(t, " for column '" + column + "'"));
        if (threshold != null) {
            checkThreshold(threshold, "");
        }
    }

    private static void checkThreshold(double t, String where) {
        if (!(t >= 0 && Double.isFinite(t))) {
            throw FlywheelException.invalid("threshold " + t + where + " must be a finite number >= 0");
        }
    }

    /** The method configured for {@code column} (per column, else for every column), or null for automatic. */
    public DriftMethod methodFor(String column, ColumnKind kind) {
        DriftMethod m = methods.get(column);
        if (m != null) {
            return m;
        }
        return method != null && (kind == ColumnKind.NUMERIC || !method.numericOnly()) ? method : null;
    }

    /** The threshold configured for {@code column} (per column, else for every column), or null for the default. */
    public Double thresholdFor(String column) {
        Double t = thresholds.get(column);
        return t != null ? t : threshold;
    }

    /** Evidently's defaults: automatic methods, default thresholds, share 0.5, PSI 0.1/0.25, one thread per core. */
    public static DriftConfig defaults() {
        return new DriftConfig(List.of(), null, Map.of(), null, Map.of(), 0.5, 0.1, 0.25, 1000, 5,
                Runtime.getRuntime().availableProcessors());
    }

    public DriftConfig withColumns(List<String> columns) {
        return new DriftConfig(columns, method, methods, threshold, thresholds, driftShare, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, parallelism);
    }

    /** Uses {@code newMethod} for every column it applies to (per-column methods still win). */
    public DriftConfig withMethod(DriftMethod newMethod) {
        return new DriftConfig(columns, Objects.requireNonNull(newMethod, "method"), methods, threshold, thresholds,
                driftShare, psiWarn, psiAct, smallReferenceRows, lowCardinality, parallelism);
    }

    /** Uses {@code newThreshold} for every column (per-column thresholds still win). */
    public DriftConfig withThreshold(double newThreshold) {
        return new DriftConfig(columns, method, methods, newThreshold, thresholds, driftShare, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, parallelism);
    }

    public DriftConfig withMethod(String column, DriftMethod columnMethod) {
        Map<String, DriftMethod> m = new LinkedHashMap<>(methods);
        m.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(columnMethod, "method"));
        return new DriftConfig(columns, method, m, threshold, thresholds, driftShare, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, parallelism);
    }

    public DriftConfig withThreshold(String column, double columnThreshold) {
        Map<String, Double> t = new LinkedHashMap<>(thresholds);
        t.put(Objects.requireNonNull(column, "column"), columnThreshold);
        return new DriftConfig(columns, method, methods, threshold, t, driftShare, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, parallelism);
    }

    public DriftConfig withDriftShare(double share) {
        return new DriftConfig(columns, method, methods, threshold, thresholds, share, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, parallelism);
    }

    public DriftConfig withPsiLevels(double warn, double act) {
        return new DriftConfig(columns, method, methods, threshold, thresholds, driftShare, warn, act,
                smallReferenceRows, lowCardinality, parallelism);
    }

    public DriftConfig withParallelism(int threads) {
        return new DriftConfig(columns, method, methods, threshold, thresholds, driftShare, psiWarn, psiAct,
                smallReferenceRows, lowCardinality, threads);
    }
}
