package dev.flywheel.monitor.internal;

import java.util.SplittableRandom;

/**
 * Reservoir sampling (Vitter's algorithm R) with a seeded generator: offer the values in order, and each offer says
 * which slot of the sample it takes, if any. The first {@code size} values fill the slots; value k (0-based) then
 * replaces slot j for j drawn uniformly from 0..k when j &lt; size. Same values, same seed: same sample.
 */
final class Reservoir {
    private final SplittableRandom random;
    private final int size;
    private long seen;

    Reservoir(int size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    /** The slot the next value takes, or -1 if it is not sampled. */
    int offer() {
        long k = seen++;
        if (k < size) {
            return (int) k;
        }
        long j = random.nextLong(k + 1);
        return j < size ? (int) j : -1;
    }

    /** How many slots are filled. */
    int filled() {
        return (int) Math.min(seen, size);
    }
}
