package dev.flywheel.deploy;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small real XGBoost regressors on the bike-sharing hourly data, written as model files for deploy tests. */
public final class BikeModels {
    public static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");
    public static final ModelSignature SIGNATURE = ModelSignature.regression(FEATURES);

    /** The features of the first row of the data: a request every model answers. */
    public static final float[] ROW = {1, 0, 1, 0, 0, 6, 0, 1, 0.24f, 0.2879f, 0.81f, 0};

    private BikeModels() {
    }

    /** The CSV; the calling test (or class, from a {@code @BeforeAll}) is skipped when it is missing. */
    public static Path csv() {
        return SharedData.requireBikeSharingHours();
    }

    /** Trains a regressor with {@code rounds} boosting rounds on every other record and writes it to {@code file}. */
    public static Path train(int rounds, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv());
        } catch (IOException e) {
            throw new UncheckedIOException("bike-sharing data not found at " + csv().toAbsolutePath(), e);
        }
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        int[] columns = FEATURES.stream().mapToInt(header::indexOf).toArray();
        int target = header.indexOf("cnt");
        List<float[]> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        for (int i = 1; i < lines.size(); i += 2) {
            String[] cells = lines.get(i).split(",");
            float[] row = new float[columns.length];
            for (int c = 0; c < columns.length; c++) {
                row[c] = Float.parseFloat(cells[columns[c]]);
            }
            rows.add(row);
            labels.add(Float.parseFloat(cells[target]));
        }
        float[] values = new float[rows.size() * FEATURES.size()];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * FEATURES.size(), FEATURES.size());
            y[r] = labels.get(r);
        }
        Model model = XgboostTrainer.regression(Map.of("max_depth", 4, "eta", 0.3, "nthread", 1), rounds)
                .fit(new FeatureBatch(rows.size(), FEATURES.size(), values), y, SIGNATURE, "bike");
        try {
            Files.write(file, model.content());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An OIP v2 infer request for {@link #ROW}. */
    public static String inferBody() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < ROW.length; i++) {
            data.append(i == 0 ? "" : ",").append(ROW[i]);
        }
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, " + ROW.length + "], \"datatype\": \"FP32\", \"data\": [" + data + "]}]}";
    }
}
