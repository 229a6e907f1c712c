package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.BikeSharing;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class XgboostFormatTest {
    private static final ModelFormat XGBOOST = ModelFormats.load().get("xgboost");
    private static BikeSharing data;
    private static Model model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnBikeSharing() {
        data = BikeSharing.load();
        model = XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.1, "subsample", 0.9, "seed", 7), 150)
                .fit(data.trainX(), data.trainY(), BikeSharing.signature(), "bike_demand");
    }

    @Test
    void trainedRegressorBeatsTheMeanOnHeldOutHours() {
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike_demand", model.signature())) {
            Predictions p = loaded.predict(data.testX());
            double mean = 0;
            for (float y : data.trainY()) {
                mean += y;
            }
            float[] naive = new float[data.testY().length];
            Arrays.fill(naive, (float) (mean / data.trainY().length));
            double rmse = BikeSharing.rmse(p.values(), data.testY());
            double naiveRmse = BikeSharing.rmse(naive, data.testY());
            assertThat(p.rows()).isEqualTo(data.testX().rows());
            assertThat(p.width()).isEqualTo(1);
            assertThat(naiveRmse).isGreaterThan(150);
            assertThat(rmse).isLessThan(0.35 * naiveRmse);
        }
    }

    @Test
    void trainedModelCarriesFormatNameAndSignature() {
        assertThat(model.format()).isEqualTo("xgboost");
        assertThat(model.name()).isEqualTo("bike_demand");
        assertThat(model.signature().inputNames()).isEqualTo(BikeSharing.FEATURES);
        assertThat(model.signature().outputs()).hasSize(1);
    }

    @Test
    void savedFileLoadsThroughModelFormatsAndPredictsLikeXgboostItself() throws Exception {
        Path file = Files.write(dir.resolve("model.ubj"), model.content());
        FeatureBatch rows = BikeSharing.head(data.testX(), 500);
        float[][] reference;
        Booster booster = XGBoost.loadModel(model.content());
        DMatrix matrix = new DMatrix(rows.values(), rows.rows(), rows.columns(), Float.NaN);
        try {
            reference = booster.predict(matrix);
        } finally {
            matrix.dispose();
            booster.dispose();
        }
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(file, BikeSharing.signature())) {
            Predictions p = loaded.predict(rows);
            for (int r = 0; r < rows.rows(); r++) {
                assertThat(p.get(r, 0)).as("row %d", r).isCloseTo(reference[r][0], within(1e-3f));
            }
        }
    }

    @Test
    void jsonSavedModelLoadsToo() throws Exception {
        Booster booster = XGBoost.loadModel(model.content());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        booster.saveModel(json, "json");
        booster.dispose();
        assertThat(json.toString()).startsWith("{");
        FeatureBatch rows = BikeSharing.head(data.testX(), 50);
        try (LoadedModel fromJson = XGBOOST.load(json.toByteArray(), "model.json", model.signature());
             LoadedModel fromUbj = XGBOOST.load(model.content(), "model.ubj", model.signature())) {
            assertThat(fromJson.predict(rows).values()).containsExactly(fromUbj.predict(rows).values(), within(1e-3f));
        }
    }

    @Test
    void batchPredictionEqualsRowByRow() {
        FeatureBatch rows = BikeSharing.head(data.testX(), 200);
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike_demand", model.signature())) {
            Predictions batch = loaded.predict(rows);
            for (int r = 0; r < rows.rows(); r++) {
                assertThat(loaded.predict(BikeSharing.row(rows, r)).get(0, 0)).isEqualTo(batch.get(r, 0));
            }
        }
    }

    @Test
    void concurrentPredictionsOnOneModelMatchSequentialOnes() throws Exception {
        FeatureBatch rows = BikeSharing.head(data.testX(), 300);
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike_demand", model.signature());
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            float[] expected = loaded.predict(rows).values();
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> loaded.predict(rows).values()));
            }
            for (Future<float[]> f : results) {
                assertThat(f.get()).containsExactly(expected);
            }
        }
    }

    @Test
    void missingValuesAsNaNStillPredict() {
        float[] values = BikeSharing.head(data.testX(), 2).values().clone();
        values[3] = Float.NaN;
        Arrays.fill(values, 12, 24, Float.NaN);
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike_demand", model.signature())) {
            Predictions p = loaded.predict(new FeatureBatch(2, 12, values));
            for (float v : p.values()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void emptyBatchGivesNoPredictions() {
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike_demand", model.signature())) {
            assertThat(loaded.predict(new FeatureBatch(0, 12, new float[0])).rows()).isZero();
        }
    }

    @Test
    void corruptFileIsRejectedWithItsName() throws Exception {
        byte[] garbage = "this is not a model, just some text that somebody saved as model.ubj".getBytes();
        Path file = Files.write(dir.resolve("corrupt.ubj"), garbage);
        assertInvalidModel(file, BikeSharing.signature(), "corrupt.ubj", "not a readable XGBoost model");
    }

    @Test
    void truncatedFileIsRejectedWithItsName() throws Exception {
        Path file = Files.write(dir.resolve("truncated.ubj"),
                Arrays.copyOf(model.content(), model.content().length / 2));
        assertInvalidModel(file, BikeSharing.signature(), "truncated.ubj", "not a readable XGBoost model");
    }

    @Test
    void emptyFileIsRejectedWithItsName() throws Exception {
        Path file = Files.write(dir.resolve("empty.ubj"), new byte[0]);
        assertInvalidModel(file, BikeSharing.signature(), "empty.ubj", "is empty");
    }

    @Test
    void missingFileIsNotFoundWithItsPath() {
        assertThatThrownBy(() -> XGBOOST.load(dir.resolve("nowhere.ubj"), BikeSharing.signature()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nowhere.ubj");
    }

    @Test
    void signatureWithTooFewFeaturesIsRejectedShowingBothCounts() throws Exception {
        Path file = Files.write(dir.resolve("model.ubj"), model.content());
        ModelSignature tooFew = ModelSignature.regression(BikeSharing.FEATURES.subList(0, 10));
        assertInvalidModel(file, tooFew, "model.ubj", "trained on 12 features, but its signature declares 10 inputs");
    }

    @Test
    void signatureWithTooManyFeaturesIsRejectedShowingBothCounts() throws Exception {
        Path file = Files.write(dir.resolve("model.ubj"), model.content());
        List<String> names = new ArrayList<>(BikeSharing.FEATURES);
        names.add("casual");
        assertInvalidModel(file, ModelSignature.regression(names), "model.ubj",
                "trained on 12 features, but its signature declares 13 inputs");
    }

    @Test
    void signatureDeclaringMoreOutputsThanTheModelGivesIsRejected() {
        ModelSignature threeOutputs = new ModelSignature(BikeSharing.signature().inputs(),
                List.of(dev.flywheel.sdk.model.Feature.fp32("a"), dev.flywheel.sdk.model.Feature.fp32("b"),
                        dev.flywheel.sdk.model.Feature.fp32("c")));
        assertThatThrownBy(() -> XGBOOST.load(model.content(), "bike.ubj", threeOutputs))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("produces 1 values per row, but its signature declares 3 outputs [a, b, c]");
    }

    @Test
    void batchWithWrongColumnCountIsRejectedBeforeNativeCode() {
        try (LoadedModel loaded = XGBOOST.load(model.content(), "bike.ubj", model.signature())) {
            assertThatThrownBy(() -> loaded.predict(new FeatureBatch(2, 3, new float[6])))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("batch of 3 columns was sent to model bike.ubj, which takes 12 inputs");
        }
    }

    @Test
    void predictAfterCloseIsUnavailableAndCloseIsIdempotent() {
        LoadedModel loaded = XGBOOST.load(model.content(), "bike.ubj", model.signature());
        loaded.close();
        loaded.close();
        assertThatThrownBy(() -> loaded.predict(BikeSharing.head(data.testX(), 1)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    private static void assertInvalidModel(Path file, ModelSignature signature, String fileName, String problem) {
        assertThatThrownBy(() -> XGBOOST.load(file, signature))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining(fileName)
                .hasMessageContaining(problem);
    }
}
