package dev.flywheel.registry;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.xgboost.XgboostFormat;
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

/**
 * The UCI bike-sharing hourly data, for training real XGBoost regressors of {@code cnt}. Months are numbered 1..24 over
 * the two years. Rows whose {@code instant} is a multiple of 5 are held out for evaluation; {@code casual} and
 * {@code registered} sum to the target and are never features.
 */
final class BikeData {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed");
    private static List<float[]> rows;

    private BikeData() {
    }

    static Path csv() {
        return SharedData.requireBikeSharingHours();
    }

    static ModelSignature signature() {
        return ModelSignature.regression(FEATURES);
    }

    /** Rows of months 1..{@code months}: [features..., cnt, instant, month]. */
    private static synchronized List<float[]> rows() {
        if (rows == null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(csv());
            } catch (IOException e) {
                throw new UncheckedIOException("bike-sharing data missing at " + csv().toAbsolutePath(), e);
            }
            List<String> header = Arrays.asList(lines.getFirst().split(","));
            int[] cols = FEATURES.stream().mapToInt(header::indexOf).toArray();
            int cnt = header.indexOf("cnt");
            int instant = header.indexOf("instant");
            int yr = header.indexOf("yr");
            int mnth = header.indexOf("mnth");
            List<float[]> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                float[] row = new float[cols.length + 3];
                for (int i = 0; i < cols.length; i++) {
                    row[i] = Float.parseFloat(cells[cols[i]]);
                }
                row[cols.length] = Float.parseFloat(cells[cnt]);
                row[cols.length + 1] = Float.parseFloat(cells[instant]);
                row[cols.length + 2] = Integer.parseInt(cells[yr]) * 12 + Integer.parseInt(cells[mnth]);
                out.add(row);
            }
            rows = out;
        }
        return rows;
    }

    record Split(FeatureBatch x, float[] y) {
    }

    static Split training(int months) {
        return select(months, false);
    }

    static Split heldOut(int months) {
        return select(months, true);
    }

    private static Split select(int months, boolean heldOut) {
        int k = FEATURES.size();
        List<float[]> picked = rows().stream()
                .filter(r -> r[k + 2] <= months && ((int) r[k + 1] % 5 == 0) == heldOut).toList();
        float[] x = new float[picked.size() * k];
        float[] y = new float[picked.size()];
        for (int i = 0; i < picked.size(); i++) {
            System.arraycopy(picked.get(i), 0, x, i * k, k);
            y[i] = picked.get(i)[k];
        }
        return new Split(new FeatureBatch(picked.size(), k, x), y);
    }

    /** A real XGBoost regressor of {@code cnt} on months 1..{@code months}, with RMSE and MAE on held-out rows of months 1..12. */
    static Model train(String name, int months, int rounds) {
        Split train = training(months);
        Model model = XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.3, "nthread", 2, "seed", 7), rounds)
                .fit(train.x(), train.y(), signature(), name);
        Split test = heldOut(12);
        try (LoadedModel loaded = new XgboostFormat().load(model.content(), "test", model.signature())) {
            Predictions p = loaded.predict(test.x());
            double se = 0;
            double ae = 0;
            for (int i = 0; i < test.y().length; i++) {
                double d = p.get(i, 0) - test.y()[i];
                se += d * d;
                ae += Math.abs(d);
            }
            return model.withMetric("rmse", Math.sqrt(se / test.y().length)).withMetric("mae", ae / test.y().length);
        }
    }
}
