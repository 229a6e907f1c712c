package dev.flywheel.serving.api;

import java.util.List;

/**
 * The fixed latency buckets both sides of {@code /admin/traffic} agree on: upper bounds growing by a quarter from
 * 50 microseconds to past 10 seconds, so a quantile read from two reports' difference is within 25 % of the truth.
 */
public final class LatencyHistogram {
    /** Upper bounds in nanoseconds; the last bucket holds everything slower. */
    public static final long[] BOUNDS_NANOS = bounds();

    private LatencyHistogram() {
    }

    private static long[] bounds() {
        java.util.ArrayList<Long> b = new java.util.ArrayList<>();
        for (double v = 50_000; v < 10_000_000_000d; v *= 1.25) {
            b.add((long) v);
        }
        b.add(Long.MAX_VALUE);
        return b.stream().mapToLong(Long::longValue).toArray();
    }

    /** The bucket a latency falls in. */
    public static int bucket(long nanos) {
        int i = java.util.Arrays.binarySearch(BOUNDS_NANOS, nanos);
        return i >= 0 ? i : -i - 1;
    }

    /** The upper bound of the bucket holding quantile {@code q} of the counts; 0 for no counts. */
    public static long quantile(List<Long> counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return BOUNDS_NANOS[Math.min(i, BOUNDS_NANOS.length - 1)];
            }
        }
        return BOUNDS_NANOS[BOUNDS_NANOS.length - 1];
    }
}
