package dev.flywheel.monitor.internal;

/**
 * Histogram bins as NumPy makes them, bit for bit: equal-width edges from {@code linspace}, and counts as
 * {@code histogram(x, edges)} takes them (bin i holds [edges[i], edges[i+1]), the last bin also its right edge).
 */
public final class HistogramBins {
    private HistogramBins() {
    }

    /**
     * NumPy's {@code histogram_bin_edges(concat(a, b), bins='sturges')} for sorted, non-empty samples: from the
     * smallest to the largest value of both (widened by 0.5 each way when equal), ceil(range / (range / (log2(n) +
     * 1))) bins for n values in all.
     */
    public static double[] sturges(double[] a, double[] b) {
        double first = Math.min(a[0], b[0]);
        double last = Math.max(a[a.length - 1], b[b.length - 1]);
        double range = last - first;
        if (range == 0) {
            return linspace(first - 0.5, last + 0.5, 2);
        }
        double width = range / (log2((long) a.length + b.length) + 1.0);
        return linspace(first, last, (int) Math.ceil((last - first) / width) + 1);
    }

    /** NumPy's {@code histogram(x, bins)} edges for values from {@code min} to {@code max}. */
    public static double[] equalWidth(double min, double max, int bins) {
        return min == max ? linspace(min - 0.5, max + 0.5, bins + 1) : linspace(min, max, bins + 1);
    }

    /**
     * log2 of a count as C's log2 gives it: exact for powers of two; for other n the rounding of
     * {@code log(n) / log(2)} cannot move ceil(log2(n) + 1), which is all the bin count depends on (log2 of an
     * integer below 2^53 that is not a power of two is far more than an ulp from any integer).
     */
    static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return 63 - Long.numberOfLeadingZeros(n);
        }
        return Math.log(n) / Math.log(2);
    }

    /** NumPy's {@code linspace(start, stop, num)} with {@code endpoint=True}: {@code i * step + start}, last = stop. */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /** How many values of the sorted sample fall in each bin of {@code edges}. */
    public static long[] counts(double[] sorted, double[] edges) {
        long[] out = new long[edges.length - 1];
        int below = lowerBound(sorted, edges[0]);
        for (int k = 0; k < out.length; k++) {
            int upTo = k == out.length - 1 ? upperBound(sorted, edges[k + 1]) : lowerBound(sorted, edges[k + 1]);
            out[k] = upTo - below;
            below = upTo;
        }
        return out;
    }

    /** The number of values strictly below {@code x}. */
    static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number of values at or below {@code x}. */
    static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
