package dev.flywheel.formats.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.GraphSignature;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX files as they are: the signature is read from the graph, and scikit-learn models trained and converted
 * outside Flywheel ({@code src/test/fixtures/make_sklearn_onnx_fixtures.py}) answer with scikit-learn's own numbers.
 */
class OnnxGraphSignatureTest {
    private static final ModelFormat ONNX = ModelFormats.load().get("onnx");
    private static JsonNode expected;

    @BeforeAll
    static void readExpectedOutputs() throws IOException {
        try (InputStream in = OnnxGraphSignatureTest.class.getResourceAsStream("/onnx/sklearn/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = OnnxGraphSignatureTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static GraphSignature describe(String resource) {
        return ONNX.describe(bytes(resource), resource).orElseThrow();
    }

    private static JsonNode fixture(String file) {
        for (JsonNode f : expected.get("fixtures")) {
            if (f.get("file").asText().equals(file)) {
                return f;
            }
        }
        throw new AssertionError("no fixture " + file);
    }

    @Test
    void theGraphDeclaresItsTensorsWithElementTypesAndDynamicBatch() {
        assertThat(describe("/onnx/sklearn/ridge_regressor.onnx")).isEqualTo(new GraphSignature(
                List.of(new TensorSpec("features", FeatureType.FP32, List.of(-1L, 12L))),
                List.of(new TensorSpec("variable", FeatureType.FP32, List.of(-1L, 1L)))));
        assertThat(describe("/onnx/sklearn/logistic_classifier.onnx")).as("a named batch dimension is dynamic").isEqualTo(new GraphSignature(
                List.of(new TensorSpec("input", FeatureType.FP32, List.of(-1L, 5L))),
                List.of(new TensorSpec("label", FeatureType.INT64, List.of(-1L)),
                        new TensorSpec("probabilities", FeatureType.FP32, List.of(-1L, 3L)))));
        assertThat(describe("/onnx/sklearn/zipmap_classifier.onnx").outputs()).as("the ZipMap's sequence of maps is not a tensor")
                .containsExactly(new TensorSpec("output_label", FeatureType.INT64, List.of(-1L)));
        assertThat(describe("/onnx/sklearn/typed_inputs.onnx").inputs()).containsExactly(
                new TensorSpec("num", FeatureType.FP32, List.of(-1L, 2L)), new TensorSpec("count", FeatureType.INT64, List.of(-1L, 1L)));
        assertThat(describe("/onnx/per_feature_regressor.onnx").inputs()).extracting(TensorSpec::name).containsExactly("a", "b", "c");
    }

    @Test
    void columnsAreNamedAfterTheTensorsUnlessFeatureNamesAreGiven() {
        ModelSignature own = describe("/onnx/sklearn/ridge_regressor.onnx").signature(null, "ridge");
        assertThat(own.inputNames()).hasSize(12).startsWith("features_0", "features_1").endsWith("features_11");
        assertThat(own.namedColumns()).isFalse();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("f" + i);
        }
        ModelSignature named = describe("/onnx/sklearn/ridge_regressor.onnx").signature(names, "ridge");
        assertThat(named.inputNames()).isEqualTo(names);
        assertThat(named.namedColumns()).isTrue();
        assertThat(named.inputTensors()).isEqualTo(own.inputTensors());
        assertThat(describe("/onnx/sklearn/typed_inputs.onnx").signature(null, "typed").inputNames())
                .containsExactly("num_0", "num_1", "count");
        assertThat(describe("/onnx/per_feature_regressor.onnx").signature(List.of("c", "a", "b"), "pf").inputNames())
                .as("the tensors' own names in another order keep the graph's order").containsExactly("a", "b", "c");
    }

    @Test
    void featureNamesThatDoNotFitTheTensorsAreRefusedShowingTheTensors() {
        assertThatThrownBy(() -> describe("/onnx/sklearn/ridge_regressor.onnx").signature(List.of("a", "b", "c"), "ridge.onnx"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ridge.onnx").hasMessageContaining("3 feature names").hasMessageContaining("features FP32 [-1, 12]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ridge_regressor.onnx", "forest_regressor.onnx", "logistic_classifier.onnx", "zipmap_classifier.onnx"})
    void sklearnModelsConvertedElsewhereAnswerTheirOwnTensorsWithSklearnsPredictions(String file) {
        JsonNode fixture = fixture(file);
        byte[] content = bytes("/onnx/sklearn/" + file);
        ModelSignature signature = ONNX.describe(content, file).orElseThrow().signature(null, file);
        try (LoadedModel model = ONNX.load(content, file, signature)) {
            JsonNode rows = fixture.get("inputs");
            Predictions p = model.predict(OnnxFormatTest.inputs(fixture));
            // Each output tensor's values sit one after the other in a row, in the order the signature lists them.
            int column = 0;
            for (TensorSpec out : model.signature().outputTensors()) {
                JsonNode want = fixture.get("outputs").get(out.name());
                int width = (int) out.rowWidth();
                if (want != null) {
                    for (int r = 0; r < rows.size(); r++) {
                        for (int c = 0; c < width; c++) {
                            double w = want.get(r).isArray() ? want.get(r).get(c).asDouble() : want.get(r).asDouble();
                            assertThat((double) p.get(r, column + c)).as("%s %s row %d column %d", file, out.name(), r, c)
                                    .isCloseTo(w, within(1e-4 + 1e-5 * Math.abs(w)));
                        }
                    }
                }
                column += width;
            }
            assertThat(column).isEqualTo(p.width());
            Iterator<String> names = fixture.get("outputs").fieldNames();
            names.forEachRemaining(n -> assertThat(model.signature().outputTensors()).extracting(TensorSpec::name).contains(n));
        }
    }

    @Test
    void inputsOfDifferentElementTypesAreEachFedInTheirOwnType() {
        byte[] content = bytes("/onnx/sklearn/typed_inputs.onnx");
        ModelSignature signature = ONNX.describe(content, "typed").orElseThrow().signature(null, "typed");
        try (LoadedModel model = ONNX.load(content, "typed", signature)) {
            Predictions p = model.predict(new FeatureBatch(2, 3, new float[] {1, 2, 3, 0.5f, 0.25f, 7}));
            assertThat(p.values()).containsExactly(new float[] {1 + 2 + 2 * 3, 0.5f + 0.25f + 2 * 7}, within(1e-6f));
        }
    }

    @Test
    void loadingWithTheGraphSignatureResolvesOutputColumns() {
        byte[] content = bytes("/onnx/sklearn/logistic_classifier.onnx");
        ModelSignature signature = ONNX.describe(content, "lr").orElseThrow().signature(null, "lr");
        try (LoadedModel model = ONNX.load(content, "lr", signature)) {
            assertThat(model.outputWidth()).isEqualTo(4);
            assertThat(model.signature().outputs()).extracting(f -> f.name())
                    .containsExactly("label", "probabilities_0", "probabilities_1", "probabilities_2");
            assertThat(model.signature().outputs().get(0).type()).isEqualTo(FeatureType.INT64);
        }
    }

    @Test
    void aSignatureWhoseTensorsTheGraphDoesNotHaveIsRefused() {
        byte[] content = bytes("/onnx/sklearn/ridge_regressor.onnx");
        ModelSignature wrong = ModelSignature.ofTensors(List.of(new TensorSpec("features", FeatureType.FP64, List.of(-1L, 12L))),
                List.of(new TensorSpec("variable", FeatureType.FP32, List.of(-1L, 1L))));
        assertThatThrownBy(() -> ONNX.load(content, "ridge.onnx", wrong))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("takes input features FP32 [-1, 12]").hasMessageContaining("declares features FP64 [-1, 12]");
        ModelSignature renamed = ModelSignature.ofTensors(List.of(new TensorSpec("x", FeatureType.FP32, List.of(-1L, 12L))),
                List.of(new TensorSpec("variable", FeatureType.FP32, List.of(-1L, 1L))));
        assertThatThrownBy(() -> ONNX.load(content, "ridge.onnx", renamed)).hasMessageContaining("has no input 'x'");
    }

    @Test
    void anInt64InputThatTheOldColumnLayoutRefusedIsServedFromItsGraph() {
        byte[] content = bytes("/onnx/int64_input.onnx");
        GraphSignature graph = ONNX.describe(content, "int64").orElseThrow();
        assertThat(graph.inputs()).containsExactly(new TensorSpec("input", FeatureType.INT64, List.of(-1L, 3L)));
        try (LoadedModel model = ONNX.load(content, "int64", graph.signature(null, "int64"))) {
            assertThat(model.predict(new FeatureBatch(1, 3, new float[] {4, -5, 6})).values()).containsExactly(4f, -5f, 6f);
        }
    }
}
