package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.CategoricalProfile;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A categorical column for the drift methods: each category with its count, categories ascending.
 *
 * @param name   column name
 * @param type   {@code string} (or the numeric type of a column read as numbers and compared as categories)
 * @param rows   rows in the source data
 * @param count  present values
 * @param labels categories, ascending
 * @param counts their counts
 * @param other  values in categories a profile did not list (it keeps the most frequent ones)
 */
public record CategoricalData(String name, String type, long rows, long count, String[] labels, long[] counts,
                              long other) implements ColumnData {

    static CategoricalData of(String name, String[] values) {
        Map<String, long[]> byValue = new HashMap<>();
        long present = 0;
        for (String v : values) {
            if (v != null) {
                byValue.computeIfAbsent(v, k -> new long[1])[0]++;
                present++;
            }
        }
        String[] labels = byValue.keySet().toArray(String[]::new);
        Arrays.sort(labels);
        long[] counts = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            counts[i] = byValue.get(labels[i])[0];
        }
        return new CategoricalData(name, "string", values.length, present, labels, counts, 0);
    }

    static CategoricalData of(CategoricalProfile p) {
        CategoricalProfile.CategoryCount[] sorted = p.categories().toArray(CategoricalProfile.CategoryCount[]::new);
        Arrays.sort(sorted, (a, b) -> a.value().compareTo(b.value()));
        return new CategoricalData(p.name(), p.type(), p.count() + p.missing(), p.count(),
                Arrays.stream(sorted).map(CategoricalProfile.CategoryCount::value).toArray(String[]::new),
                Arrays.stream(sorted).mapToLong(CategoricalProfile.CategoryCount::count).toArray(), p.other());
    }

    /**
     * The reference's (this) and {@code current}'s counts per category. When this reference lumped rare categories
     * into {@code other}, current categories it does not list are lumped the same way.
     */
    public Counts countsAgainst(CategoricalData current) {
        if (other == 0) {
            return Counts.of(labels, counts, current.labels, current.counts);
        }
        long[] refCounts = Arrays.copyOf(counts, counts.length + 1);
        refCounts[counts.length] = other;
        long[] curCounts = new long[refCounts.length];
        for (int j = 0; j < current.labels.length; j++) {
            int at = Arrays.binarySearch(labels, current.labels[j]);
            curCounts[at >= 0 ? at : labels.length] += current.counts[j];
        }
        return new Counts(refCounts, curCounts);
    }
}
