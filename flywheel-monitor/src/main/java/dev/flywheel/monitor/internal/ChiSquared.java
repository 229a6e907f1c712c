package dev.flywheel.monitor.internal;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Evidently's chi-squared drift test: SciPy's {@code chisquare(f_obs, f_exp)} with the current counts observed and
 * the reference counts scaled to the current size expected, over the union of values. A value the reference never
 * had is expected 0 times, so its term and the statistic are infinite and the p-value 0, as in SciPy.
 */
public final class ChiSquared {
    private ChiSquared() {
    }

    public record Result(double statistic, double pValue) {
    }

    public static Result test(Counts counts) {
        long refTotal = 0;
        long curTotal = 0;
        for (int i = 0; i < counts.size(); i++) {
            refTotal += counts.reference()[i];
            curTotal += counts.current()[i];
        }
        double scale = (double) curTotal / refTotal;
        double statistic = 0;
        for (int i = 0; i < counts.size(); i++) {
            double expected = counts.reference()[i] * scale;
            double diff = counts.current()[i] - expected;
            statistic += diff * diff / expected;
        }
        int df = counts.size() - 1;
        if (df == 0) {
            // One value on both sides: nothing can differ. SciPy answers NaN (no degrees of freedom); no evidence of
            // drift is the useful reading.
            return new Result(0, 1);
        }
        double p = Double.isInfinite(statistic) ? 0 : ChiSquaredDistribution.of(df).survivalProbability(statistic);
        return new Result(statistic, p);
    }
}
