package dev.flywheel.kubernetes.internal;

import dev.flywheel.kubernetes.Fixtures;
import dev.flywheel.kubernetes.internal.ServingLayout.Extension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The folders KServe's and Seldon's runtimes read, for every flavor and format, and the XGBoost file's extension. */
class ServingLayoutTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(nullValues = "-", value = {
            "kserve,  xgboost,  serving/demand/1/xgboost/,        serving/demand/1/xgboost/model.ubj",
            "kserve,  onnx,     serving/demand/1/triton/,         serving/demand/1/triton/demand/1/model.onnx",
            "seldon,  xgboost,  serving/demand/1/mlserver/,       serving/demand/1/mlserver/model.ubj",
            "seldon,  onnx,     serving/demand/1/triton/demand/,  serving/demand/1/triton/demand/1/model.onnx",
            "kserve,  lightgbm, -, -",
            "seldon,  lightgbm, -, -",
            "kubernetes, xgboost, -, -",
            "kubernetes, onnx, -, -"})
    void eachRuntimeGetsTheFolderItReads(String flavor, String format, String folder, String modelKey) {
        var layout = ServingLayout.of(flavor, Fixtures.version(1, format), Extension.UBJ);
        if (folder == null) {
            assertThat(layout).as("the Flywheel image reads the blob itself").isEmpty();
            return;
        }
        assertThat(layout).hasValueSatisfying(l -> {
            assertThat(l.storageFolder()).isEqualTo(folder);
            assertThat(l.modelKey()).isEqualTo(modelKey).startsWith(folder);
            assertThat(l.extras().keySet()).allSatisfy(k -> assertThat(k).startsWith(folder));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kserve", "seldon"})
    void tritonGetsABackendOnlyConfigSoEitherFlavorMayNameTheModel(String flavor) {
        var layout = ServingLayout.of(flavor, Fixtures.version(1, "ONNX"), Extension.BST).orElseThrow();
        assertThat(layout.extras()).isEqualTo(Map.of("serving/demand/1/triton/demand/config.pbtxt", "backend: \"onnxruntime\"\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"BST", "JSON", "UBJ"})
    void kservesXgboostFolderHoldsTheModelFileAloneAndSeldonsNamesItInModelSettings(Extension extension) {
        assertThat(ServingLayout.of("kserve", Fixtures.version(1, "xgboost"), extension).orElseThrow().extras())
                .as("xgbserver refuses a folder with a second file of a model extension (.json)").isEmpty();
        var seldon = ServingLayout.of("seldon", Fixtures.version(1, "xgboost"), extension).orElseThrow();
        assertThat(seldon.modelKey()).endsWith("/model." + extension.suffix);
        assertThat(seldon.extras().get("serving/demand/1/mlserver/model-settings.json"))
                .contains("\"implementation\": \"mlserver_xgboost.XGBoostModel\"").contains("\"uri\": \"./model." + extension.suffix + "\"");
    }

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("JSON", "{\"learner\":{\"attributes\":{}}}".getBytes(StandardCharsets.UTF_8), Extension.JSON),
                Arguments.of("JSON with leading space", " \n\t{ \"version\": [2, 1, 0] }".getBytes(StandardCharsets.UTF_8), Extension.JSON),
                Arguments.of("empty JSON object", "{}".getBytes(StandardCharsets.UTF_8), Extension.JSON),
                Arguments.of("UBJSON", new byte[] {'{', 'L', 0, 0, 0, 0, 0, 0, 0, 7, 'l', 'e', 'a', 'r', 'n', 'e', 'r'}, Extension.UBJ),
                Arguments.of("UBJSON int8 key length", new byte[] {'{', 'i', 7, 'l', 'e', 'a', 'r', 'n', 'e', 'r'}, Extension.UBJ),
                Arguments.of("legacy binary", new byte[] {0, 0, 0, 63, 3, 0, 0, 0, 1, 0, 0, 0}, Extension.BST),
                Arguments.of("legacy binary with binf header", "binf\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1), Extension.BST),
                Arguments.of("empty", new byte[0], Extension.BST),
                Arguments.of("a lone brace", new byte[] {'{'}, Extension.UBJ));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void theExtensionFollowsWhatSaveModelWrote(String what, byte[] head, Extension expected) {
        assertThat(Extension.sniff(head)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"demand, demand", "bike.demand_v2-x, bike.demand_v2-x", "a b/c, a_b_c", "'..', '__'"})
    void aModelNameBecomesASafeKeySegment(String name, String segment) {
        assertThat(ServingLayout.segment(name)).isEqualTo(segment);
    }
}
