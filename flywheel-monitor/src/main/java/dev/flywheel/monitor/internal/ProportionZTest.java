package dev.flywheel.monitor.internal;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Evidently's proportion-difference Z-test for binary columns: the share of values other than the first
 * (smallest) value in the reference against that share in the current data, pooled standard error, two-sided
 * p-value. When both samples hold the same single value the p-value is 1.
 */
public final class ProportionZTest {
    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    private ProportionZTest() {
    }

    public record Result(double statistic, double pValue) {
    }

    public static Result test(Counts counts) {
        long n1 = 0;
        long n2 = 0;
        int refValues = 0;
        int curValues = 0;
        for (int i = 0; i < counts.size(); i++) {
            n1 += counts.reference()[i];
            n2 += counts.current()[i];
            refValues += counts.reference()[i] > 0 ? 1 : 0;
            curValues += counts.current()[i] > 0 ? 1 : 0;
        }
        if (counts.size() == 1 && refValues == 1 && curValues == 1) {
            return new Result(0, 1);
        }
        double p1 = (double) (n1 - counts.reference()[0]) / n1;
        double p2 = (double) (n2 - counts.current()[0]) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        // 2 * sf(|z|) rather than Evidently's 2 * (1 - cdf(|z|)): the same number, without losing small tails.
        return new Result(z, Math.min(1, 2 * STANDARD.survivalProbability(Math.abs(z))));
    }
}
