package dev.flywheel.bench.formats;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The models the format benchmarks load and run: an XGBoost regressor trained on the bike-sharing hours
 * (100 trees, depth 6) and the 12-64-1 ONNX network from flywheel-formats' test fixtures. Paths are relative
 * to the repository root unless {@code -Dflywheel.shared.data} / {@code -Dflywheel.repo} say otherwise.
 */
final class BenchModels {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");
    static final ModelSignature SIGNATURE = ModelSignature.regression(FEATURES);

    private BenchModels() {
    }

    /** Feature rows and the {@code cnt} label, in file order. */
    record Data(FeatureBatch x, float[] y) {
        FeatureBatch head(int n) {
            return new FeatureBatch(n, x.columns(), Arrays.copyOf(x.values(), n * x.columns()));
        }
    }

    static Data bikeSharing() {
        Path csv = SharedData.bikeSharingHoursOrFail();
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("bike-sharing data not found at " + csv.toAbsolutePath()
                    + "; run from the repository root or pass -Dflywheel.shared.data=DIR", e);
        }
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        int[] columns = FEATURES.stream().mapToInt(header::indexOf).toArray();
        int target = header.indexOf("cnt");
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        float[] x = new float[rows.size() * columns.length];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r).split(",");
            for (int c = 0; c < columns.length; c++) {
                x[r * columns.length + c] = Float.parseFloat(cells[columns[c]]);
            }
            y[r] = Float.parseFloat(cells[target]);
        }
        return new Data(new FeatureBatch(rows.size(), columns.length, x), y);
    }

    static Model xgboost(Data data) {
        return XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.1, "seed", 1), 100)
                .fit(data.x(), data.y(), SIGNATURE, "bike_demand");
    }

    static Path onnxMlp() {
        Path file = Path.of(System.getProperty("flywheel.repo", "."),
                "flywheel-formats", "src", "test", "resources", "onnx", "mlp_regressor.onnx");
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("ONNX benchmark model not found at "
                    + file.toAbsolutePath() + "; run from the repository root or pass -Dflywheel.repo=DIR"));
        }
        return file;
    }
}
