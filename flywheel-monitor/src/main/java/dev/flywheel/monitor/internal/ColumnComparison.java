package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.monitor.ColumnKind;
import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftMethod;
import dev.flywheel.monitor.PsiLevel;
import dev.flywheel.sdk.FlywheelException;

/**
 * Compares one column of the reference with the same column of the current data: picks the method (Evidently's
 * automatic choice unless configured), runs it, computes PSI beside it, and decides.
 *
 * <p>Evidently's choice, with n = the reference's present values and k = distinct values in both samples
 * together: n &lt;= 1000 (small data): numeric with k &gt; 5 -> Kolmogorov-Smirnov; otherwise chi-squared, or the
 * Z-test when k &lt;= 2. n &gt; 1000: numeric with k &gt; 5 -> Wasserstein (normed); otherwise Jensen-Shannon.
 */
public final class ColumnComparison {
    private final DriftConfig config;

    public ColumnComparison(DriftConfig config) {
        this.config = config;
    }

    public ColumnDrift compare(ColumnData reference, ColumnData current) {
        if (reference.count() == 0) {
            throw FlywheelException.invalid("column '" + reference.name() + "' has no values in the reference (all "
                    + reference.rows() + " rows are missing); leave it out of the comparison or fix the reference data");
        }
        return switch (reference) {
            case NumericData ref -> switch (current) {
                case NumericData cur -> numeric(ref, cur);
                case CategoricalData cur -> throw FlywheelException.invalid("column '" + ref.name() + "' is numeric ("
                        + ref.type() + ") in the reference but holds text in the current data (for example '"
                        + cur.labels()[0] + "'); fix the current data or leave the column out");
            };
            case CategoricalData ref -> categorical(ref, switch (current) {
                case CategoricalData cur -> cur;
                case NumericData cur -> asCategories(cur);
            });
        };
    }

    private ColumnDrift numeric(NumericData ref, NumericData cur) {
        DriftMethod configured = config.methodFor(ref.name(), ColumnKind.NUMERIC);
        if (cur.count() == 0) {
            return noCurrentValues(ref, cur, ColumnKind.NUMERIC, configured != null ? configured
                    : ref.count() <= config.smallReferenceRows() ? DriftMethod.KS : DriftMethod.WASSERSTEIN);
        }
        Counts counts = null;
        int distinct = Integer.MAX_VALUE;
        if (ref.distinct() <= config.lowCardinality()) {
            counts = ref.countsAgainst(cur);
            distinct = counts.size();
        }
        boolean low = distinct <= config.lowCardinality();
        boolean small = ref.count() <= config.smallReferenceRows();
        DriftMethod method = configured != null ? configured
                : small ? (low ? (distinct <= 2 ? DriftMethod.Z_TEST : DriftMethod.CHI_SQUARED) : DriftMethod.KS)
                : (low ? DriftMethod.JENSEN_SHANNON : DriftMethod.WASSERSTEIN);
        Shares shares;
        if (ref.distinct() > Shares.MAX_VALUE_BINS) {
            double[] edges = HistogramBins.sturges(ref.sorted(), cur.sorted());
            shares = Shares.of(HistogramBins.counts(ref.sorted(), edges), HistogramBins.counts(cur.sorted(), edges));
        } else {
            counts = counts != null ? counts : ref.countsAgainst(cur);
            shares = Shares.of(counts);
        }
        Outcome outcome = switch (method) {
            case KS -> {
                KolmogorovSmirnov.Result r = KolmogorovSmirnov.test(ref.sorted(), cur.sorted());
                yield new Outcome(r.statistic(), r.pValue());
            }
            case WASSERSTEIN -> new Outcome(Wasserstein.normed(ref.sorted(), cur.sorted(), ref.std()), null);
            case CHI_SQUARED, Z_TEST -> countTest(method, counts != null ? counts : ref.countsAgainst(cur));
            case JENSEN_SHANNON -> new Outcome(JensenShannon.distance(shares), null);
            case PSI -> new Outcome(PopulationStability.index(shares), null);
        };
        return result(ref, cur, ColumnKind.NUMERIC, method, outcome, PopulationStability.index(shares));
    }

    private ColumnDrift categorical(CategoricalData ref, CategoricalData cur) {
        DriftMethod configured = config.methodFor(ref.name(), ColumnKind.CATEGORICAL);
        if (configured != null && configured.numericOnly()) {
            throw FlywheelException.invalid("method " + configured.id() + " needs a numeric column, but '" + ref.name()
                    + "' is categorical (" + ref.type() + "); use chisquare, z, jensenshannon or psi");
        }
        boolean small = ref.count() <= config.smallReferenceRows();
        if (cur.count() == 0) {
            return noCurrentValues(ref, cur, ColumnKind.CATEGORICAL, configured != null ? configured
                    : small ? DriftMethod.CHI_SQUARED : DriftMethod.JENSEN_SHANNON);
        }
        Counts counts = ref.countsAgainst(cur);
        DriftMethod method = configured != null ? configured
                : small ? (counts.size() <= 2 ? DriftMethod.Z_TEST : DriftMethod.CHI_SQUARED)
                : DriftMethod.JENSEN_SHANNON;
        Shares shares = Shares.of(counts);
        Outcome outcome = switch (method) {
            case CHI_SQUARED, Z_TEST -> countTest(method, counts);
            case JENSEN_SHANNON -> new Outcome(JensenShannon.distance(shares), null);
            case PSI -> new Outcome(PopulationStability.index(shares), null);
            case KS, WASSERSTEIN -> throw new IllegalStateException("numeric-only method " + method + " was checked above");
        };
        return result(ref, cur, ColumnKind.CATEGORICAL, method, outcome, PopulationStability.index(shares));
    }

    private static Outcome countTest(DriftMethod method, Counts counts) {
        if (method == DriftMethod.CHI_SQUARED) {
            ChiSquared.Result r = ChiSquared.test(counts);
            return new Outcome(r.statistic(), r.pValue());
        }
        ProportionZTest.Result r = ProportionZTest.test(counts);
        return new Outcome(r.statistic(), r.pValue());
    }

    /** A numeric current column compared with a categorical reference: its numbers as the text a CSV would hold. */
    private static CategoricalData asCategories(NumericData cur) {
        String[] values = new String[(int) cur.count()];
        for (int i = 0; i < values.length; i++) {
            double v = cur.sorted()[i];
            values[i] = cur.type().equals("long") ? Long.toString((long) v) : Double.toString(v);
        }
        CategoricalData c = CategoricalData.of(cur.name(), values);
        return new CategoricalData(c.name(), cur.type(), cur.rows(), c.count(), c.labels(), c.counts(), 0);
    }

    private double threshold(String column, DriftMethod method) {
        Double configured = config.thresholdFor(column);
        if (configured == null) {
            return method.defaultThreshold();
        }
        if (method.hasPValue() && !(configured > 0 && configured <= 1)) {
            throw FlywheelException.invalid("threshold " + configured + " for column '" + column + "' is a significance"
                    + " level for " + method.id() + " (drift when p < threshold); use a value in (0, 1], such as 0.05");
        }
        return configured;
    }

    private ColumnDrift result(ColumnData ref, ColumnData cur, ColumnKind kind, DriftMethod method, Outcome outcome,
                               double psi) {
        double threshold = threshold(ref.name(), method);
        boolean drifted = method.drifted(outcome.score(), outcome.pValue() == null ? Double.NaN : outcome.pValue(),
                threshold);
        return new ColumnDrift(ref.name(), kind, method, outcome.score(), outcome.pValue(), threshold, drifted, psi,
                PsiLevel.of(psi, config.psiWarn(), config.psiAct()), ref.count(), cur.count(),
                ref.missingShare(), cur.missingShare(), null);
    }

    /** The current data has no value in this column: nothing to test, and a column gone empty has drifted. */
    private ColumnDrift noCurrentValues(ColumnData ref, ColumnData cur, ColumnKind kind, DriftMethod method) {
        return new ColumnDrift(ref.name(), kind, method, null, null, threshold(ref.name(), method), true, null, null,
                ref.count(), 0, ref.missingShare(), cur.missingShare(),
                "no values in the current data (all " + cur.rows() + " rows are missing)");
    }

    private record Outcome(double score, Double pValue) {
    }
}
