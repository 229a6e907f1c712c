package dev.flywheel.monitor.internal;

/**
 * Evidently's bins for Jensen-Shannon and PSI ({@code get_binned_data}), as shares of each sample: a numeric column
 * whose reference has more than 20 distinct values is cut into NumPy's Sturges bins over both samples together
 * ({@link HistogramBins#sturges}); any other column has one bin per value seen in either sample.
 *
 * @param reference the reference's share in each bin
 * @param current   the current data's share in each bin
 */
public record Shares(double[] reference, double[] current) {
    /** Evidently's limit: more distinct reference values than this and numbers are binned, not counted. */
    public static final int MAX_VALUE_BINS = 20;

    public static Shares of(Counts counts) {
        return of(counts.reference(), counts.current());
    }

    public static Shares of(long[] reference, long[] current) {
        return new Shares(share(reference), share(current));
    }

    private static double[] share(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (double) counts[i] / total;
        }
        return out;
    }

    /**
     * These shares with empty bins filled as Evidently does before PSI: by the smallest non-empty share / 10^6 when
     * that share is at most 0.0001, else by 0.0001 (so the logarithm stays finite).
     */
    public Shares withEmptyBinsFilled() {
        return new Shares(filled(reference), filled(current));
    }

    private static double[] filled(double[] shares) {
        double low = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0 && s < low) {
                low = s;
            }
        }
        double fill = low <= 0.0001 ? low / 1e6 : 0.0001;
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = fill;
            }
        }
        return out;
    }
}
