package dev.flywheel.examples.demand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pipeline needs to know about a tabular data set: the feature columns a model reads (in order), the
 * column it predicts, and the range every column must stay in. The same pipeline runs on the generated demand data
 * and on a real CSV such as the bike-sharing data set.
 *
 * @param ranges column to its allowed {@code [min, max]}, inclusive; the target included
 */
public record Dataset(String name, List<String> features, String target, Map<String, double[]> ranges) {
    public Dataset {
        features = List.copyOf(features);
        Map<String, double[]> copy = new LinkedHashMap<>(ranges);
        if (!copy.keySet().containsAll(features) || !copy.containsKey(target)) {
            throw new IllegalArgumentException("every feature and the target need a range; missing: "
                    + features.stream().filter(f -> !copy.containsKey(f)).toList());
        }
        ranges = copy;
    }

    /** The generated hourly demand data ({@link DemandData}). */
    public static Dataset generatedDemand() {
        Map<String, double[]> r = new LinkedHashMap<>();
        r.put("month", new double[]{1, 12});
        r.put("hour", new double[]{0, 23});
        r.put("weekday", new double[]{0, 6});
        r.put("workingday", new double[]{0, 1});
        r.put("holiday", new double[]{0, 1});
        r.put("weather", new double[]{1, 4});
        r.put("temp", new double[]{0, 1});
        r.put("humidity", new double[]{0, 1});
        r.put("windspeed", new double[]{0, 1});
        r.put("demand", new double[]{0, 1e9});
        return new Dataset("generated-demand", DemandData.FEATURES, DemandData.TARGET, r);
    }

    /**
     * The UCI bike-sharing hourly data ({@code hour.csv}): predicts {@code cnt}. {@code casual} and {@code registered}
     * add up to {@code cnt}, so they are never features (they would leak the answer).
     */
    public static Dataset bikeSharing() {
        Map<String, double[]> r = new LinkedHashMap<>();
        r.put("season", new double[]{1, 4});
        r.put("yr", new double[]{0, 1});
        r.put("mnth", new double[]{1, 12});
        r.put("hr", new double[]{0, 23});
        r.put("holiday", new double[]{0, 1});
        r.put("weekday", new double[]{0, 6});
        r.put("workingday", new double[]{0, 1});
        r.put("weathersit", new double[]{1, 4});
        r.put("temp", new double[]{0, 1});
        r.put("atemp", new double[]{0, 1});
        r.put("hum", new double[]{0, 1});
        r.put("windspeed", new double[]{0, 1});
        r.put("cnt", new double[]{0, 1e9});
        return new Dataset("bike-sharing", List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit",
                "temp", "atemp", "hum", "windspeed"), "cnt", r);
    }
}
