package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * The profile of a numeric column. Statistics are over the present values; they are null when there are none.
 *
 * @param name      column name
 * @param type      {@code double} or {@code long}
 * @param count     present values
 * @param missing   missing values (NaN, infinities, empty cells)
 * @param distinct  distinct present values
 * @param min       smallest value
 * @param max       largest value
 * @param mean      mean
 * @param std       population standard deviation (NumPy's {@code std}, ddof 0)
 * @param quantiles the 0, 1, 5, 10, 25, 50, 75, 90, 95, 99 and 100th percentiles (NumPy's linear interpolation)
 * @param histogram equal-width bins from min to max
 * @param values    every distinct value with its count, when there are at most 20 (so count-based tests from the
 *                  profile are exact); else null
 * @param sample    a seeded reservoir sample of the present values, in the order drawn
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NumericProfile(String name, String type, long count, long missing, long distinct, Double min,
                             Double max, Double mean, Double std, List<Quantile> quantiles, Histogram histogram,
                             List<ValueCount> values, double[] sample) implements ColumnProfile {

    public NumericProfile {
        quantiles = List.copyOf(quantiles);
        values = values == null ? null : List.copyOf(values);
        sample = sample.clone();
    }

    @Override
    public double[] sample() {
        return sample.clone();
    }

    /** One percentile: {@code q} in [0, 1] and the value. */
    public record Quantile(double q, double value) {
    }

    /**
     * Bin counts: bin i holds values in [edges[i], edges[i+1]), the last bin also its right edge.
     *
     * @param edges  bin edges, one more than counts
     * @param counts values per bin
     */
    public record Histogram(double[] edges, long[] counts) {
        public Histogram {
            edges = edges.clone();
            counts = counts.clone();
        }

        @Override
        public double[] edges() {
            return edges.clone();
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }
    }

    /** A distinct value and how many times it occurs. */
    public record ValueCount(double value, long count) {
    }
}
