package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.flywheel.sdk.FlywheelException;

/**
 * How a {@link ReferenceProfile} is made.
 *
 * @param sampleSize     at most this many values per column are kept as the reference sample (reservoir sampling;
 *                       a column with fewer values keeps them all, so drift from the profile equals drift from the
 *                       data)
 * @param seed           the sampling seed: the same data and seed give the same sample
 * @param maxCategories  at most this many categories per categorical column are listed, the most frequent; the
 *                       rest are counted together as {@code other}
 * @param histogramBins  equal-width bins of each numeric column's histogram
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProfileOptions(int sampleSize, long seed, int maxCategories, int histogramBins) {

    public ProfileOptions {
        if (sampleSize < 0 || maxCategories < 1 || histogramBins < 1) {
            throw FlywheelException.invalid("profile options need sampleSize >= 0, maxCategories >= 1 and"
                    + " histogramBins >= 1; got " + sampleSize + ", " + maxCategories + ", " + histogramBins);
        }
    }

    /** 10,000 sampled values per column, seed 42, 1,000 categories, 20 histogram bins. */
    public static ProfileOptions defaults() {
        return new ProfileOptions(10_000, 42, 1_000, 20);
    }

    public ProfileOptions withSampleSize(int size) {
        return new ProfileOptions(size, seed, maxCategories, histogramBins);
    }

    public ProfileOptions withSeed(long newSeed) {
        return new ProfileOptions(sampleSize, newSeed, maxCategories, histogramBins);
    }

    public ProfileOptions withMaxCategories(int max) {
        return new ProfileOptions(sampleSize, seed, max, histogramBins);
    }

    public ProfileOptions withHistogramBins(int bins) {
        return new ProfileOptions(sampleSize, seed, maxCategories, bins);
    }
}
