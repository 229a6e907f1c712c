package dev.flywheel.formats.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Runs the graphs made by {@code src/test/fixtures/make_onnx_fixtures.py} and compares onnxruntime's answers
 * with the values numpy computed from the same weights.
 */
class OnnxFormatTest {
    private static final ModelFormat ONNX = ModelFormats.load().get("onnx");
    private static final ModelSignature ABC = ModelSignature.regression(List.of("a", "b", "c"));
    private static JsonNode expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void readExpectedOutputs() throws IOException {
        try (InputStream in = OnnxFormatTest.class.getResourceAsStream("/onnx/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear_regressor.onnx", "per_feature_regressor.onnx", "softmax_classifier.onnx",
        "mlp_regressor.onnx"})
    void predictionsMatchValuesComputedIndependently(String file) throws IOException {
        JsonNode fixture = fixture(file);
        int width = fixture.get("width").asInt();
        FeatureBatch batch = inputs(fixture);
        List<String> features = new ArrayList<>();
        fixture.get("features").forEach(f -> features.add(f.asText()));
        ModelSignature signature = new ModelSignature(ModelSignature.regression(features).inputs(),
                signature(width).outputs());
        try (LoadedModel model = ONNX.load(fixturePath(file), signature)) {
            Predictions p = model.predict(batch);
            assertThat(p.rows()).isEqualTo(batch.rows());
            assertThat(p.width()).isEqualTo(width);
            assertThat(model.outputWidth()).isEqualTo(width);
            JsonNode want = fixture.get("outputs");
            for (int i = 0; i < want.size(); i++) {
                assertThat((double) p.values()[i]).as("value %d", i).isCloseTo(want.get(i).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void classifierReturnsProbabilitiesNotTheInt64Label() throws IOException {
        JsonNode fixture = fixture("softmax_classifier.onnx");
        try (LoadedModel model = ONNX.load(fixturePath("softmax_classifier.onnx"), signature(3))) {
            Predictions p = model.predict(inputs(fixture));
            for (int r = 0; r < p.rows(); r++) {
                float sum = p.get(r, 0) + p.get(r, 1) + p.get(r, 2);
                assertThat(sum).isCloseTo(1f, within(1e-5f));
                int argMax = 0;
                for (int c = 1; c < 3; c++) {
                    argMax = p.get(r, c) > p.get(r, argMax) ? c : argMax;
                }
                assertThat(argMax).isEqualTo(fixture.get("labels").get(r).asInt());
            }
        }
    }

    @Test
    void perFeatureInputsAreMatchedByNameWhateverTheSignatureOrder() throws IOException {
        JsonNode fixture = fixture("per_feature_regressor.onnx");
        FeatureBatch abc = inputs(fixture);
        float[] cab = new float[abc.values().length];
        for (int r = 0; r < abc.rows(); r++) {
            cab[r * 3] = abc.get(r, 2);
            cab[r * 3 + 1] = abc.get(r, 0);
            cab[r * 3 + 2] = abc.get(r, 1);
        }
        ModelSignature cabSignature = ModelSignature.regression(List.of("c", "a", "b"));
        try (LoadedModel model = ONNX.load(fixturePath("per_feature_regressor.onnx"), cabSignature)) {
            Predictions p = model.predict(new FeatureBatch(abc.rows(), 3, cab));
            for (int r = 0; r < abc.rows(); r++) {
                assertThat((double) p.get(r, 0)).isCloseTo(fixture.get("outputs").get(r).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void batchPredictionEqualsRowByRow() {
        Random random = new Random(42);
        float[] values = new float[300 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        FeatureBatch batch = new FeatureBatch(300, 3, values);
        try (LoadedModel model = ONNX.load(fixturePath("softmax_classifier.onnx"), signature(3))) {
            Predictions all = model.predict(batch);
            for (int r = 0; r < batch.rows(); r++) {
                Predictions one = model.predict(new FeatureBatch(1, 3, Arrays.copyOfRange(values, r * 3, r * 3 + 3)));
                assertThat(one.values()).containsExactly(Arrays.copyOfRange(all.values(), r * 3, r * 3 + 3), within(1e-6f));
            }
        }
    }

    @Test
    void concurrentPredictionsOnOneSessionMatchSequentialOnes() throws Exception {
        JsonNode fixture = fixture("mlp_regressor.onnx");
        FeatureBatch batch = inputs(fixture);
        ModelSignature signature = ModelSignature.regression(
                java.util.stream.IntStream.range(0, 12).mapToObj(i -> "f" + i).toList());
        try (LoadedModel model = ONNX.load(fixturePath("mlp_regressor.onnx"), signature);
             java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            float[] expectedValues = model.predict(batch).values();
            List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                results.add(pool.submit(() -> model.predict(batch).values()));
            }
            for (java.util.concurrent.Future<float[]> f : results) {
                assertThat(f.get()).containsExactly(expectedValues);
            }
        }
    }

    @Test
    void corruptFixtureIsRejectedWithItsName() throws IOException {
        byte[] bytes = Files.readAllBytes(fixturePath("linear_regressor.onnx"));
        for (int i = 0; i < bytes.length; i += 3) {
            bytes[i] = (byte) (bytes[i] ^ 0x5A);
        }
        Path file = Files.write(dir.resolve("corrupt.onnx"), bytes);
        assertInvalidModel(file, ABC, "corrupt.onnx", "not a readable ONNX model");
    }

    @Test
    void truncatedFixtureIsRejectedWithItsName() throws IOException {
        byte[] bytes = Files.readAllBytes(fixturePath("softmax_classifier.onnx"));
        Path file = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        assertInvalidModel(file, signature(3), "truncated.onnx", "not a readable ONNX model");
    }

    @Test
    void emptyFileIsRejectedWithItsName() throws IOException {
        Path file = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertInvalidModel(file, ABC, "empty.onnx", "is empty");
    }

    @Test
    void signatureWithTooFewInputsIsRejectedShowingBothSides() {
        assertInvalidModel(fixturePath("linear_regressor.onnx"), ModelSignature.regression(List.of("a", "b")),
                "linear_regressor.onnx", "takes input 'input' of shape [N, 3] (3 features), but its signature declares 2 inputs [a, b]");
    }

    @Test
    void signatureWithTooManyInputsForPerFeatureModelIsRejectedShowingBothSides() {
        assertInvalidModel(fixturePath("per_feature_regressor.onnx"),
                ModelSignature.regression(List.of("a", "b", "c", "d")), "per_feature_regressor.onnx",
                "has 3 inputs [a FLOAT tensor [N, 1], b FLOAT tensor [N, 1], c FLOAT tensor [N, 1]], but its signature declares 4 inputs [a, b, c, d]");
    }

    @Test
    void signatureWithWrongOutputCountIsRejected() {
        assertInvalidModel(fixturePath("softmax_classifier.onnx"), ABC, "softmax_classifier.onnx",
                "produces 3 values per row, but its signature declares 1 outputs [prediction]");
    }

    @Test
    void integerInputModelIsRejectedBecauseFeaturesAreFloats() {
        assertInvalidModel(fixturePath("int64_input.onnx"), ABC, "int64_input.onnx",
                "input 'input' of type INT64 tensor [N, 3], but Flywheel feeds float32 features");
    }

    @Test
    void batchWithWrongColumnCountIsRejected() {
        try (LoadedModel model = ONNX.load(fixturePath("linear_regressor.onnx"), ABC)) {
            assertThatThrownBy(() -> model.predict(new FeatureBatch(1, 2, new float[2])))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("batch of 2 columns")
                    .hasMessageContaining("takes 3 inputs [a, b, c]");
        }
    }

    @Test
    void predictAfterCloseIsUnavailableAndCloseIsIdempotent() {
        LoadedModel model = ONNX.load(fixturePath("linear_regressor.onnx"), ABC);
        model.close();
        model.close();
        assertThatThrownBy(() -> model.predict(new FeatureBatch(1, 3, new float[3])))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    private static void assertInvalidModel(Path file, ModelSignature signature, String fileName, String problem) {
        assertThatThrownBy(() -> ONNX.load(file, signature))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining(fileName)
                .hasMessageContaining(problem);
    }

    private static ModelSignature signature(int outputs) {
        List<Feature> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add(Feature.fp32(outputs == 1 ? "prediction" : "p_" + i));
        }
        return new ModelSignature(ABC.inputs(), out);
    }

    private static JsonNode fixture(String file) {
        for (JsonNode f : expected.get("fixtures")) {
            if (f.get("file").asText().equals(file)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no expected values for " + file);
    }

    static FeatureBatch inputs(JsonNode fixture) {
        JsonNode rows = fixture.get("inputs");
        int k = rows.get(0).size();
        float[] values = new float[rows.size() * k];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < k; c++) {
                values[r * k + c] = (float) rows.get(r).get(c).asDouble();
            }
        }
        return new FeatureBatch(rows.size(), k, values);
    }

    private static Path fixturePath(String file) {
        try {
            return Path.of(OnnxFormatTest.class.getResource("/onnx/" + file).toURI());
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("fixture " + file + " is missing", e));
        }
    }
}
