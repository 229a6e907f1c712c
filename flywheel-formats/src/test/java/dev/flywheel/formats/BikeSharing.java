package dev.flywheel.formats;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UCI bike-sharing hourly data as feature batches: a tiny CSV reader until the real Table type exists.
 * Every fifth record (by {@code instant}) is held out for testing.
 */
public record BikeSharing(FeatureBatch trainX, float[] trainY, FeatureBatch testX, float[] testY) {

    /** The inputs; {@code casual} and {@code registered} are left out because they sum to the target. */
    public static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");

    public static ModelSignature signature() {
        return ModelSignature.regression(FEATURES);
    }

    /** The CSV; the calling test is skipped when it is missing (see {@link SharedData}). */
    public static Path csv() {
        return SharedData.requireBikeSharingHours();
    }

    public static BikeSharing load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv());
        } catch (IOException e) {
            throw new UncheckedIOException("bike-sharing data not found at " + csv().toAbsolutePath(), e);
        }
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        int[] columns = FEATURES.stream().mapToInt(header::indexOf).toArray();
        int instant = header.indexOf("instant");
        int target = header.indexOf("cnt");
        List<float[]> trainRows = new ArrayList<>();
        List<float[]> testRows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            float[] row = new float[columns.length + 1];
            for (int i = 0; i < columns.length; i++) {
                row[i] = Float.parseFloat(cells[columns[i]]);
            }
            row[columns.length] = Float.parseFloat(cells[target]);
            (Integer.parseInt(cells[instant]) % 5 == 0 ? testRows : trainRows).add(row);
        }
        return new BikeSharing(batch(trainRows), labels(trainRows), batch(testRows), labels(testRows));
    }

    private static FeatureBatch batch(List<float[]> rows) {
        int k = FEATURES.size();
        float[] values = new float[rows.size() * k];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * k, k);
        }
        return new FeatureBatch(rows.size(), k, values);
    }

    private static float[] labels(List<float[]> rows) {
        float[] y = new float[rows.size()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rows.get(r)[FEATURES.size()];
        }
        return y;
    }

    /** The first {@code n} rows of {@code batch}. */
    public static FeatureBatch head(FeatureBatch batch, int n) {
        return new FeatureBatch(n, batch.columns(), Arrays.copyOf(batch.values(), n * batch.columns()));
    }

    /** Row {@code r} of {@code batch} as a batch of one. */
    public static FeatureBatch row(FeatureBatch batch, int r) {
        int k = batch.columns();
        return new FeatureBatch(1, k, Arrays.copyOfRange(batch.values(), r * k, (r + 1) * k));
    }

    public static double rmse(float[] predicted, float[] actual) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            sum += d * d;
        }
        return Math.sqrt(sum / actual.length);
    }
}
