package dev.flywheel.server.internal;

import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A model's metrics across its versions: one series per metric, one point per version that has it (oldest first). */
public final class ModelViews {
    private ModelViews() {
    }

    public record Point(int version, double value, Stage stage) {
    }

    public record Series(String metric, List<Point> points) {
    }

    public static List<Series> metrics(List<ModelVersion> versions) {
        Map<String, List<Point>> byMetric = new TreeMap<>();
        for (ModelVersion v : versions) {
            v.metrics().forEach((name, value) -> {
                if (Double.isFinite(value)) {
                    byMetric.computeIfAbsent(name, n -> new ArrayList<>()).add(new Point(v.version(), value, v.stage()));
                }
            });
        }
        List<Series> out = new ArrayList<>();
        byMetric.forEach((name, points) -> out.add(new Series(name, points)));
        return out;
    }
}
