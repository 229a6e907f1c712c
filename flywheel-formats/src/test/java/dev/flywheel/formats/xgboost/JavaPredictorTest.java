package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.BikeSharing;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.xgboost.internal.BoosterModel;
import dev.flywheel.formats.xgboost.internal.TreeEnsembleModel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java evaluator against XGBoost4J itself: every supported objective, JSON and UBJSON files, NaN inputs,
 * one row and many; unsupported boosters fall back to the native path and still answer like XGBoost.
 */
class JavaPredictorTest {
    private static final XgboostFormat JAVA = new XgboostFormat(XgboostPredictor.JAVA);
    private static BikeSharing data;
    /** Test rows with ~15% of the values missing. */
    private static FeatureBatch testWithNaN;
    /** Training rows with ~15% missing, so trees learn default directions both ways. */
    private static FeatureBatch trainWithNaN;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadData() {
        data = BikeSharing.load();
        trainWithNaN = withMissing(data.trainX(), 11);
        testWithNaN = withMissing(data.testX(), 12);
    }

    @Test
    void bikeSharingRegressorFromUbjPredictsLikeXgboost4jForManyRowsAndOneRow() throws Exception {
        byte[] ubj = train(Map.of("max_depth", 6, "eta", 0.1, "subsample", 0.9, "seed", 7), 150,
                data.trainX(), data.trainY(), "ubj");
        assertJavaMatchesNative(ubj, BikeSharing.signature(), data.testX());
    }

    @Test
    void regressorSavedAsJsonPredictsLikeXgboost4j() throws Exception {
        byte[] json = train(Map.of("max_depth", 5, "eta", 0.2), 60, data.trainX(), data.trainY(), "json");
        assertThat(new String(json, 0, 1, StandardCharsets.US_ASCII)).isEqualTo("{");
        assertJavaMatchesNative(json, BikeSharing.signature(), data.testX());
    }

    @Test
    void missingValuesFollowEachSplitsDefaultDirection() throws Exception {
        byte[] ubj = train(Map.of("max_depth", 6, "eta", 0.15), 80, trainWithNaN, data.trainY(), "ubj");
        assertJavaMatchesNative(ubj, BikeSharing.signature(), testWithNaN);
        assertJavaMatchesNative(ubj, BikeSharing.signature(), allMissing(3));
    }

    @Test
    void binaryClassifierProbabilitiesMatchXgboost4jWithAndWithoutMissingValues() throws Exception {
        float[] busy = threshold(data.trainY(), 200);
        byte[] ubj = train(Map.of("objective", "binary:logistic", "max_depth", 5, "eta", 0.3), 60,
                trainWithNaN, busy, "ubj");
        ModelSignature sig = new ModelSignature(BikeSharing.signature().inputs(), List.of(Feature.fp32("busy")));
        assertJavaMatchesNative(ubj, sig, testWithNaN);
        assertJavaMatchesNative(ubj, sig, data.testX());
    }

    @Test
    void multiClassSoftprobMatchesXgboost4jPerClass() throws Exception {
        byte[] json = train(Map.of("objective", "multi:softprob", "num_class", 3, "max_depth", 4, "eta", 0.3), 40,
                trainWithNaN, classes(data.trainY()), "json");
        ModelSignature sig = new ModelSignature(BikeSharing.signature().inputs(),
                List.of(Feature.fp32("low"), Feature.fp32("mid"), Feature.fp32("high")));
        assertJavaMatchesNative(json, sig, testWithNaN);
    }

    @Test
    void multiClassSoftmaxGivesTheSameClassIndexAsXgboost4j() throws Exception {
        byte[] ubj = train(Map.of("objective", "multi:softmax", "num_class", 3, "max_depth", 4, "eta", 0.3), 40,
                data.trainX(), classes(data.trainY()), "ubj");
        assertJavaMatchesNative(ubj, BikeSharing.signature(), testWithNaN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reg:absoluteerror", "reg:pseudohubererror", "reg:squaredlogerror", "count:poisson",
            "reg:tweedie", "reg:gamma"})
    void regressionObjectivesMatchXgboost4j(String objective) throws Exception {
        FeatureBatch x = BikeSharing.head(trainWithNaN, 4000);
        float[] y = Arrays.copyOf(data.trainY(), 4000);
        byte[] ubj = train(Map.of("objective", objective, "max_depth", 4, "eta", 0.3), 25, x, y, "ubj");
        assertJavaMatchesNative(ubj, BikeSharing.signature(), BikeSharing.head(testWithNaN, 500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reg:logistic", "binary:logitraw"})
    void otherLogisticObjectivesMatchXgboost4j(String objective) throws Exception {
        FeatureBatch x = BikeSharing.head(data.trainX(), 4000);
        float[] y = threshold(Arrays.copyOf(data.trainY(), 4000), 150);
        byte[] json = train(Map.of("objective", objective, "max_depth", 4, "eta", 0.3), 25, x, y, "json");
        assertJavaMatchesNative(json, BikeSharing.signature(), BikeSharing.head(testWithNaN, 500));
    }

    @Test
    void randomForestWithParallelTreesMatchesXgboost4j() throws Exception {
        FeatureBatch x = BikeSharing.head(data.trainX(), 4000);
        float[] y = Arrays.copyOf(data.trainY(), 4000);
        byte[] ubj = train(Map.of("num_parallel_tree", 4, "subsample", 0.8, "colsample_bynode", 0.8,
                "max_depth", 5, "eta", 1.0), 3, x, y, "ubj");
        assertJavaMatchesNative(ubj, BikeSharing.signature(), BikeSharing.head(testWithNaN, 500));
    }

    @Test
    void dartBoosterFallsBackToNativeAndStillPredictsLikeXgboost4j() throws Exception {
        FeatureBatch x = BikeSharing.head(data.trainX(), 3000);
        byte[] ubj = train(Map.of("booster", "dart", "rate_drop", 0.3, "max_depth", 4, "seed", 3), 15, x,
                Arrays.copyOf(data.trainY(), 3000), "ubj");
        assertFallsBackToNative(ubj);
    }

    @Test
    void linearBoosterFallsBackToNativeAndStillPredictsLikeXgboost4j() throws Exception {
        FeatureBatch x = BikeSharing.head(data.trainX(), 3000);
        byte[] json = train(Map.of("booster", "gblinear"), 10, x, Arrays.copyOf(data.trainY(), 3000), "json");
        assertFallsBackToNative(json);
    }

    @Test
    void nativePredictorCanBeChosenAndAgreesWithTheJavaOne() throws Exception {
        byte[] ubj = train(Map.of("max_depth", 4), 20, BikeSharing.head(data.trainX(), 3000),
                Arrays.copyOf(data.trainY(), 3000), "ubj");
        FeatureBatch rows = BikeSharing.head(testWithNaN, 300);
        try (LoadedModel nativeModel = new XgboostFormat(XgboostPredictor.NATIVE).load(ubj, "m.ubj", BikeSharing.signature());
             LoadedModel javaModel = JAVA.load(ubj, "m.ubj", BikeSharing.signature())) {
            assertThat(nativeModel).isInstanceOf(BoosterModel.class);
            assertThat(javaModel).isInstanceOf(TreeEnsembleModel.class);
            assertClose(javaModel.predict(rows).values(), nativeModel.predict(rows).values(), "java vs native");
        }
    }

    @Test
    void unknownPredictorSettingIsRejectedNamingThePropertyAndChoices() {
        assertThatThrownBy(() -> XgboostPredictor.parse("fast"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("flywheel.xgboost.predictor='fast'")
                .hasMessageContaining("[java, native]");
        assertThat(XgboostPredictor.parse(null)).isEqualTo(XgboostPredictor.JAVA);
        assertThat(XgboostPredictor.parse(" Native ")).isEqualTo(XgboostPredictor.NATIVE);
    }

    @Test
    void truncatedJsonModelIsRejectedWithItsFileName() throws Exception {
        byte[] json = train(Map.of("max_depth", 3), 5, BikeSharing.head(data.trainX(), 2000),
                Arrays.copyOf(data.trainY(), 2000), "json");
        Path file = Files.write(dir.resolve("half.json"), Arrays.copyOf(json, json.length / 2));
        assertThatThrownBy(() -> JAVA.load(file, BikeSharing.signature()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("half.json")
                .hasMessageContaining("not a readable XGBoost model");
    }

    @Test
    void jsonThatIsNotAModelIsRejectedWithItsFileName() throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"learner\": {\"objective\": 3}}");
        assertThatThrownBy(() -> JAVA.load(file, BikeSharing.signature()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("config.json");
    }

    @Test
    void jsonModelWithWrongFeatureCountIsRejectedShowingBothCounts() throws Exception {
        byte[] json = train(Map.of("max_depth", 3), 5, BikeSharing.head(data.trainX(), 2000),
                Arrays.copyOf(data.trainY(), 2000), "json");
        ModelSignature tooFew = ModelSignature.regression(BikeSharing.FEATURES.subList(0, 11));
        assertThatThrownBy(() -> JAVA.load(json, "small.json", tooFew))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("small.json was trained on 12 features, but its signature declares 11 inputs");
    }

    @Test
    void predictingOneRowAllocatesOnlyTheOutput() throws Exception {
        byte[] ubj = train(Map.of("max_depth", 6), 50, BikeSharing.head(data.trainX(), 4000),
                Arrays.copyOf(data.trainY(), 4000), "ubj");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FeatureBatch row = BikeSharing.row(data.testX(), 5);
        try (LoadedModel model = JAVA.load(ubj, "m.ubj", BikeSharing.signature())) {
            for (int i = 0; i < 20_000; i++) {
                model.predict(row);
            }
            long thread = Thread.currentThread().threadId();
            int calls = 20_000;
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                model.predict(row);
            }
            long perCall = (threads.getThreadAllocatedBytes(thread) - before) / calls;
            // A float[1] (~24 bytes) and the Predictions record (~24 bytes); nothing per tree or per node.
            assertThat(perCall).isLessThanOrEqualTo(64);
        }
    }

    private void assertFallsBackToNative(byte[] model) throws Exception {
        FeatureBatch rows = BikeSharing.head(testWithNaN, 300);
        try (LoadedModel loaded = JAVA.load(model, "fallback-model", BikeSharing.signature())) {
            assertThat(loaded).isInstanceOf(BoosterModel.class);
            assertClose(loaded.predict(rows).values(), reference(model, rows), "fallback");
        }
    }

    /** Loads {@code model} with the Java predictor and compares it with {@code Booster.predict(DMatrix)}. */
    private static void assertJavaMatchesNative(byte[] model, ModelSignature signature, FeatureBatch rows)
            throws Exception {
        float[] expected = reference(model, rows);
        try (LoadedModel loaded = JAVA.load(model, "model", signature)) {
            assertThat(loaded).isInstanceOf(TreeEnsembleModel.class);
            Predictions all = loaded.predict(rows);
            assertThat(all.rows()).isEqualTo(rows.rows());
            assertThat(all.width() * rows.rows()).isEqualTo(expected.length);
            assertClose(all.values(), expected, "batch of " + rows.rows());
            int width = all.width();
            for (int r = 0; r < Math.min(rows.rows(), 200); r++) {
                float[] one = loaded.predict(BikeSharing.row(rows, r)).values();
                assertClose(one, Arrays.copyOfRange(expected, r * width, (r + 1) * width), "single row " + r);
            }
        }
    }

    private static float[] reference(byte[] model, FeatureBatch rows) throws Exception {
        Booster booster = XGBoost.loadModel(model);
        DMatrix matrix = new DMatrix(rows.values(), rows.rows(), rows.columns(), Float.NaN);
        try {
            float[][] predicted = booster.predict(matrix);
            int width = predicted[0].length;
            float[] flat = new float[predicted.length * width];
            for (int r = 0; r < predicted.length; r++) {
                System.arraycopy(predicted[r], 0, flat, r * width, width);
            }
            return flat;
        } finally {
            matrix.dispose();
            booster.dispose();
        }
    }

    /** Within 1e-5 relative (plus 1e-7 absolute, for probabilities near zero). */
    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-5f * Math.abs(expected[i]) + 1e-7f;
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("%s: value %d is %s, XGBoost4J says %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    private static byte[] train(Map<String, Object> params, int rounds, FeatureBatch x, float[] y, String format)
            throws XGBoostError {
        Map<String, Object> p = new HashMap<>(params);
        p.put("nthread", 1);
        DMatrix matrix = new DMatrix(x.values(), x.rows(), x.columns(), Float.NaN);
        try {
            matrix.setLabel(y);
            Booster booster = XGBoost.train(matrix, p, rounds, Map.of(), null, null);
            try {
                return booster.toByteArray(format);
            } finally {
                booster.dispose();
            }
        } finally {
            matrix.dispose();
        }
    }

    private static FeatureBatch withMissing(FeatureBatch batch, long seed) {
        Random random = new Random(seed);
        float[] values = batch.values().clone();
        for (int i = 0; i < values.length; i++) {
            if (random.nextInt(100) < 15) {
                values[i] = Float.NaN;
            }
        }
        return new FeatureBatch(batch.rows(), batch.columns(), values);
    }

    private static FeatureBatch allMissing(int rows) {
        float[] values = new float[rows * BikeSharing.FEATURES.size()];
        Arrays.fill(values, Float.NaN);
        return new FeatureBatch(rows, BikeSharing.FEATURES.size(), values);
    }

    private static float[] threshold(float[] y, float cut) {
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] > cut ? 1f : 0f;
        }
        return out;
    }

    /** Demand as three classes: low (< 50), mid (< 250), high. */
    private static float[] classes(float[] y) {
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] < 50 ? 0 : y[i] < 250 ? 1 : 2;
        }
        return out;
    }

}
