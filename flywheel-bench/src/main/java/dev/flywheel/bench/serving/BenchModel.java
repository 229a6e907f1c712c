package dev.flywheel.bench.serving;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the small XGBoost model the serving benchmark serves: 100 trees of depth 6 trained on the bike-sharing data
 * ({@code cnt} from 12 features), as {@code model.ubj}, with {@code signature.json} and a one-row OIP request body.
 * Usage: {@code BenchModel HOUR_CSV OUT_DIR}.
 */
public final class BenchModel {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed");

    private BenchModel() {
    }

    public static void main(String[] args) throws IOException {
        Table data = Table.readCsv(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        double[] cnt = data.doubles("cnt");
        float[] y = new float[cnt.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) cnt[i];
        }
        ModelSignature signature = ModelSignature.regression(FEATURES);
        Model model = XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.1, "nthread", 2), 100)
                .fit(new FeatureBatch(data.rowCount(), FEATURES.size(), data.toRowMajorFloats(FEATURES)), y, signature, "bike");
        Files.write(out.resolve("model.ubj"), model.content());
        Files.writeString(out.resolve("signature.json"), "{\"inputs\":[" + signature.inputs().stream()
                .map(f -> "{\"name\":\"" + f.name() + "\",\"type\":\"FP32\",\"nullable\":false}").collect(Collectors.joining(","))
                + "],\"outputs\":[{\"name\":\"prediction\",\"type\":\"FP32\",\"nullable\":false}]}");
        String row = FEATURES.stream().map(f -> "{\"name\":\"" + f + "\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":["
                + data.doubles(f)[1000] + "]}").collect(Collectors.joining(","));
        Files.writeString(out.resolve("oip-body.json"), "{\"inputs\":[" + row + "]}");
        String values = FEATURES.stream().map(f -> String.valueOf(data.doubles(f)[1000])).collect(Collectors.joining(","));
        Files.writeString(out.resolve("mlflow-body.json"), "{\"dataframe_split\":{\"columns\":[" + FEATURES.stream()
                .map(f -> "\"" + f + "\"").collect(Collectors.joining(",")) + "],\"data\":[[" + values + "]]}}");
        System.out.println("wrote " + out.resolve("model.ubj") + " (" + model.content().length + " bytes), features " + FEATURES.size());
        List<Feature> unused = signature.outputs();
        if (unused.isEmpty()) {
            throw new IllegalStateException("signature has no outputs");
        }
    }
}
