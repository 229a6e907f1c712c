package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.BikeSharing;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.xgboost.internal.MalformedModel;
import dev.flywheel.formats.xgboost.internal.ModelJson;
import dev.flywheel.formats.xgboost.internal.ModelUbj;
import dev.flywheel.formats.xgboost.internal.TreeEnsemble;
import dev.flywheel.formats.xgboost.internal.TreeEnsembleModel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * UBJSON models read by the Java reader (no native code), and the guard in front of XGBoost4J: truncated and
 * bit-flipped files fail with INVALID_MODEL or load and predict like XGBoost, never crash the JVM.
 */
class UbjModelTest {
    private static final XgboostFormat JAVA = new XgboostFormat(XgboostPredictor.JAVA);
    private static final XgboostFormat NATIVE = new XgboostFormat(XgboostPredictor.NATIVE);
    private static BikeSharing data;
    /** The model from the crash report: 50 trees, depth 6, bike sharing. */
    private static byte[] bike;

    @BeforeAll
    static void train() throws Exception {
        data = BikeSharing.load();
        bike = train(Map.of("max_depth", 6, "eta", 0.1, "seed", 7), 50, BikeSharing.head(data.trainX(), 6000),
                Arrays.copyOf(data.trainY(), 6000), "ubj");
    }

    @Test
    void ubjRegressionBinaryAndMulticlassReadInJavaEqualTheirJsonTwinAndXgboost4j() throws Exception {
        float[] busy = new float[data.trainY().length];
        float[] classes = new float[busy.length];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = data.trainY()[i] > 150 ? 1 : 0;
            classes[i] = Math.min(2, (int) (data.trainY()[i] / 100));
        }
        List<Map<String, Object>> params = List.of(Map.of("max_depth", 5),
                Map.of("objective", "binary:logistic", "max_depth", 4),
                Map.of("objective", "multi:softprob", "num_class", 3, "max_depth", 4));
        List<float[]> labels = List.of(data.trainY(), busy, classes);
        FeatureBatch rows = BikeSharing.head(data.testX(), 400);
        for (int m = 0; m < params.size(); m++) {
            byte[] ubj = train(params.get(m), 20, data.trainX(), labels.get(m), "ubj");
            byte[] json = XGBoost.loadModel(ubj).toByteArray("json");
            TreeEnsemble fromUbj = supported(ModelUbj.read(ubj));
            TreeEnsemble fromJson = supported(ModelJson.read(json));
            float[] a = new float[rows.rows() * fromUbj.width()];
            float[] b = new float[rows.rows() * fromJson.width()];
            fromUbj.predict(rows.values(), rows.rows(), a);
            fromJson.predict(rows.values(), rows.rows(), b);
            assertThat(a).as("model %d: UBJ and JSON readers give the same trees", m).containsExactly(b);
            assertClose(a, reference(ubj, rows), "model " + m);
        }
    }

    @Test
    void ubjModelLoadsThroughTheJavaEvaluator() {
        try (LoadedModel model = JAVA.load(bike, "bike.ubj", BikeSharing.signature())) {
            assertThat(model).isInstanceOf(TreeEnsembleModel.class);
        }
    }

    @Test
    void truncatedUbjIsRejectedAtEverySixteenthAndRandomCutsWithTheByteOffset() {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int k = 1; k < 16; k++) {
            cuts.add(bike.length * k / 16);
        }
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            cuts.add(1 + random.nextInt(bike.length - 1));
        }
        cuts.addAll(List.of(1, 2, 3, bike.length - 2, bike.length - 1));
        for (int cut : cuts) {
            byte[] truncated = Arrays.copyOf(bike, cut);
            for (XgboostFormat format : List.of(JAVA, NATIVE)) {
                assertThatThrownBy(() -> format.load(truncated, "cut-" + cut + ".ubj", BikeSharing.signature()))
                        .as("cut at %d of %d", cut, bike.length)
                        .isInstanceOfSatisfying(FlywheelException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                        .hasMessageContaining("cut-" + cut + ".ubj")
                        .hasMessageContaining("not a readable XGBoost model")
                        .hasMessageContaining("truncated at byte");
            }
        }
    }

    @Test
    void truncationInsideAFloatArraySaysHowManyBytesTheArrayNeeds() {
        // The split_conditions of the first tree: '[' '$' 'd' '#' 'L' <8-byte count>, then float32s.
        int at = indexOf(bike, "split_conditions".getBytes());
        int arrayStart = at + "split_conditions".length();
        assertThat(Arrays.copyOfRange(bike, arrayStart, arrayStart + 5)).containsExactly('[', '$', 'd', '#', 'L');
        byte[] truncated = Arrays.copyOf(bike, arrayStart + 13 + 6);
        assertThatThrownBy(() -> JAVA.load(truncated, "half.ubj", BikeSharing.signature()))
                .isInstanceOf(FlywheelException.class)
                .hasMessageMatching("(?s).*half\\.ubj \\(\\d+ bytes\\) is not a readable XGBoost model: truncated at byte "
                        + (arrayStart + 13) + " of " + truncated.length + ": array of \\d+ float32 needs \\d+ bytes.*");
    }

    @Test
    void bitFlipsAreRejectedOrLoadAndPredictLikeXgboost4j() throws Exception {
        // Set flywheel.fuzz.flips / flywheel.fuzz.seed (surefire systemPropertyVariables) for a longer hunt.
        Random random = new Random(Long.getLong("flywheel.fuzz.seed", 7));
        FeatureBatch rows = BikeSharing.head(data.testX(), 50);
        float[] original = reference(bike, rows);
        int rejected = 0;
        int loaded = 0;
        List<String> unexpected = new ArrayList<>();
        int flips = Integer.getInteger("flywheel.fuzz.flips", 400);
        for (int i = 0; i < flips; i++) {
            byte[] flipped = bike.clone();
            int at = random.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            // The native predictor sees the same bytes: it must load them or refuse them, never crash.
            try (LoadedModel model = NATIVE.load(flipped, "flip.ubj", BikeSharing.signature())) {
                assertThat(model.outputWidth()).isEqualTo(1);
            } catch (FlywheelException e) {
                assertThat(e.code()).as("flip at byte %d: %s", at, e.getMessage()).isEqualTo(ErrorCode.INVALID_MODEL);
            }
            try (LoadedModel model = JAVA.load(flipped, "flip.ubj", BikeSharing.signature())) {
                loaded++;
                float[] expected;
                try {
                    expected = reference(flipped, rows);
                } catch (XGBoostError e) {
                    // XGBoost refuses a field prediction does not read (e.g. categories_segments): the Java
                    // evaluator must then answer exactly like the unflipped model.
                    expected = original;
                }
                assertClose(model.predict(rows).values(), expected, "flip at byte " + at);
            } catch (FlywheelException e) {
                if (e.code() != ErrorCode.INVALID_MODEL || !e.getMessage().contains("flip.ubj")) {
                    unexpected.add("flip at byte " + at + ": " + e.code() + " " + e.getMessage());
                }
                rejected++;
            }
        }
        assertThat(unexpected).isEmpty();
        // Most of the file is node values, so most flips load; markers and lengths make some fail.
        assertThat(loaded).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(5);
    }

    @Test
    void trailingBytesAfterTheDocumentAreRejected() {
        byte[] longer = Arrays.copyOf(bike, bike.length + 3);
        assertThatThrownBy(() -> NATIVE.load(longer, "long.ubj", BikeSharing.signature()))
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("long.ubj")
                .hasMessageContaining("3 more bytes follow");
    }

    @Test
    void absurdArrayCountIsRejectedBeforeAllocating() {
        // An object with key "a" holding a float32 array that claims 2^40 elements.
        byte[] doc = {'{', 'i', 1, 'a', '[', '$', 'd', '#', 'L', 0, 0, 1, 0, 0, 0, 0, 0, '}'};
        assertThatThrownBy(() -> ModelUbj.read(doc))
                .isInstanceOf(MalformedModel.class)
                .hasMessageContaining("claims 1099511627776 elements");
    }

    @Test
    void unknownMarkerIsRejectedWithItsOffset() {
        byte[] doc = {'{', 'i', 1, 'a', 'q', '}'};
        assertThatThrownBy(() -> ModelUbj.read(doc))
                .isInstanceOf(MalformedModel.class)
                .hasMessage("unknown type marker 'q' (0x71) at byte 4");
    }

    @Test
    void deeplyNestedArraysAreRejectedInsteadOfOverflowingTheStack() {
        byte[] doc = new byte[10_000];
        Arrays.fill(doc, (byte) '[');
        assertThatThrownBy(() -> ModelUbj.read(doc))
                .isInstanceOf(MalformedModel.class)
                .hasMessageContaining("nests deeper than 64");
    }

    @Test
    void truncatedJsonNeverReachesNativeCode() throws Exception {
        byte[] json = XGBoost.loadModel(bike).toByteArray("json");
        byte[] half = Arrays.copyOf(json, json.length / 2);
        assertThatThrownBy(() -> NATIVE.load(half, "half.json", BikeSharing.signature()))
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("half.json")
                .hasMessageContaining("its JSON is malformed at byte");
    }

    @Test
    void legacyBinaryModelStillLoadsAndAShortOneIsRejectedByItsHeader() throws Exception {
        byte[] legacy = XGBoost.loadModel(bike).toByteArray("deprecated");
        FeatureBatch rows = BikeSharing.head(data.testX(), 100);
        try (LoadedModel model = JAVA.load(legacy, "old.bin", BikeSharing.signature())) {
            assertClose(model.predict(rows).values(), reference(bike, rows), "legacy binary");
        }
        byte[] cut = Arrays.copyOf(legacy, 100);
        assertThatThrownBy(() -> JAVA.load(cut, "old-cut.bin", BikeSharing.signature()))
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("old-cut.bin")
                .hasMessageContaining("too short for XGBoost's legacy binary format");
        byte[] garbage = new byte[4096];
        new Random(3).nextBytes(garbage);
        garbage[0] = 'x';
        assertThatThrownBy(() -> NATIVE.load(garbage, "noise.bin", BikeSharing.signature()))
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("noise.bin")
                .hasMessageContaining("the file is not an XGBoost model or is corrupt");
    }

    @Test
    void ubjThatIsWellFormedButHasContradictoryTreesNeverReachesNativeCode() {
        // Point the first tree's root at itself: a well-formed document XGBoost would loop or crash on.
        byte[] bad = bike.clone();
        int at = indexOf(bad, "left_children".getBytes()) + "left_children".length() + 13;
        bad[at] = 0;
        bad[at + 1] = 0;
        bad[at + 2] = 0;
        bad[at + 3] = 0;
        for (XgboostFormat format : List.of(JAVA, NATIVE)) {
            assertThatThrownBy(() -> format.load(bad, "loop.ubj", BikeSharing.signature()))
                    .isInstanceOfSatisfying(FlywheelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                    .hasMessageContaining("loop.ubj")
                    .hasMessageContaining("tree 0 node 0 has children 0 and");
        }
    }

    private static TreeEnsemble supported(ModelJson.Result result) {
        if (result instanceof ModelJson.Result.Supported(TreeEnsemble ensemble)) {
            return ensemble;
        }
        return fail("expected a supported model, got " + result);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return fail("not found");
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

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertThat(actual[i]).as("%s: value %d", what, i).isNaN();
                continue;
            }
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
}
