package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.CategoricalProfile;
import dev.flywheel.monitor.ColumnProfile;
import dev.flywheel.monitor.NumericProfile;
import dev.flywheel.monitor.ProfileOptions;
import dev.flywheel.monitor.ReferenceProfile;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.LongColumn;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Makes a {@link ReferenceProfile} from a table, one column per thread. */
public final class TableProfiler {
    private static final double[] QUANTILES = {0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1};

    private TableProfiler() {
    }

    public static ReferenceProfile profile(Table table, ProfileOptions options) {
        List<ColumnProfile> columns = ParallelColumns.map(table.columnNames(),
                Runtime.getRuntime().availableProcessors(), name -> switch (table.column(name)) {
                    case DoubleColumn d -> numeric(name, "double", d.toArray(), options);
                    case LongColumn l -> numeric(name, "long", l.toDoubles(), options);
                    case StringColumn s -> categorical(name, s.toArray(), options);
                });
        return new ReferenceProfile(ReferenceProfile.FORMAT_VERSION, table.rowCount(), options, columns);
    }

    private static NumericProfile numeric(String name, String type, double[] values, ProfileOptions options) {
        Reservoir reservoir = new Reservoir(options.sampleSize(), options.seed());
        double[] sample = new double[(int) Math.min(values.length, options.sampleSize())];
        for (double v : values) {
            if (Double.isFinite(v)) {
                int slot = reservoir.offer();
                if (slot >= 0) {
                    sample[slot] = v + 0.0;
                }
            }
        }
        sample = Arrays.copyOf(sample, reservoir.filled());
        NumericData data = NumericData.of(name, type, values);
        double[] sorted = data.sorted();
        int n = sorted.length;
        if (n == 0) {
            return new NumericProfile(name, type, 0, data.missing(), 0, null, null, null, null, List.of(), null,
                    List.of(), sample);
        }
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        List<NumericProfile.Quantile> quantiles = new ArrayList<>();
        for (double q : QUANTILES) {
            quantiles.add(new NumericProfile.Quantile(q, quantile(sorted, q)));
        }
        double[] edges = HistogramBins.equalWidth(sorted[0], sorted[n - 1], options.histogramBins());
        NumericProfile.Histogram histogram = new NumericProfile.Histogram(edges, HistogramBins.counts(sorted, edges));
        return new NumericProfile(name, type, n, data.missing(), data.distinct(), sorted[0], sorted[n - 1], sum / n,
                data.std(), quantiles, histogram, data.distinct() <= Shares.MAX_VALUE_BINS ? valueCounts(sorted) : null,
                sample);
    }

    /** NumPy's default (linear) quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double t = h - lo;
        double a = sorted[lo];
        double b = sorted[hi];
        // NumPy's _lerp: interpolate from the nearer end so the result stays within [a, b].
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    }

    private static List<NumericProfile.ValueCount> valueCounts(double[] sorted) {
        List<NumericProfile.ValueCount> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            out.add(new NumericProfile.ValueCount(sorted[i], j - i));
            i = j;
        }
        return out;
    }

    private static CategoricalProfile categorical(String name, String[] values, ProfileOptions options) {
        Reservoir reservoir = new Reservoir(options.sampleSize(), options.seed());
        String[] sample = new String[(int) Math.min(values.length, options.sampleSize())];
        for (String v : values) {
            if (v != null) {
                int slot = reservoir.offer();
                if (slot >= 0) {
                    sample[slot] = v;
                }
            }
        }
        CategoricalData data = CategoricalData.of(name, values);
        Integer[] order = new Integer[data.labels().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -data.counts()[i]).thenComparing(i -> data.labels()[i]));
        List<CategoricalProfile.CategoryCount> categories = new ArrayList<>();
        long other = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (k < options.maxCategories()) {
                categories.add(new CategoricalProfile.CategoryCount(data.labels()[i], data.counts()[i]));
            } else {
                other += data.counts()[i];
            }
        }
        return new CategoricalProfile(name, "string", data.count(), data.missing(), data.labels().length, categories,
                other, Arrays.asList(Arrays.copyOf(sample, reservoir.filled())));
    }
}
