package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX models served as their graph declares them, as KServe or Triton would serve the same file: OIP takes exactly
 * the graph's tensors (name, datatype, shape), metadata lists them, and scikit-learn models converted elsewhere answer
 * with scikit-learn's own predictions.
 */
class OnnxGraphServingTest {
    private static JsonNode expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void readExpected() throws IOException {
        try (InputStream in = OnnxGraphServingTest.class.getResourceAsStream("/onnx/sklearn/expected.json")) {
            expected = Fixture.JSON.readTree(in);
        }
    }

    private static JsonNode fixture(String file) {
        for (JsonNode f : expected.get("fixtures")) {
            if (f.get("file").asText().equals(file)) {
                return f;
            }
        }
        throw new AssertionError("no fixture " + file);
    }

    /** A server for the fixture with the signature read from its graph, named by {@code features} when given. */
    private PredictionServer serve(String name, String file, List<String> features) throws IOException {
        Path model = dir.resolve(file);
        try (InputStream in = getClass().getResourceAsStream("/onnx/sklearn/" + file)) {
            Files.write(model, in.readAllBytes());
        }
        byte[] bytes = Files.readAllBytes(model);
        ModelSignature signature = ModelFormats.load().get("onnx").describe(bytes, file).orElseThrow().signature(features, file);
        return PredictionServer.create(cfg -> { })
                .start(new ModelVersionSpec(name, 1, "onnx", model, signature, ModelChecksum.of(bytes)));
    }

    private static String tensor(String name, String datatype, JsonNode rows) {
        return "{\"name\": \"" + name + "\", \"datatype\": \"" + datatype + "\", \"shape\": [" + rows.size() + ", "
                + rows.get(0).size() + "], \"data\": " + rows + "}";
    }

    @Test
    void aRegressorTakesItsGraphTensorAndAnswersWithSklearnsPredictions() throws IOException {
        JsonNode fx = fixture("ridge_regressor.onnx");
        try (PredictionServer server = serve("ridge", "ridge_regressor.onnx", null)) {
            JsonNode meta = Fixture.json(Fixture.get(server, "/v2/models/ridge"));
            assertThat(meta.get("inputs").toString()).isEqualTo("[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[-1,12]}]");
            assertThat(meta.get("outputs").toString()).isEqualTo("[{\"name\":\"variable\",\"datatype\":\"FP32\",\"shape\":[-1,1]}]");

            HttpResponse<String> r = Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [" + tensor("features", "FP32", fx.get("inputs")) + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode out = Fixture.json(r).get("outputs").get(0);
            assertThat(out.get("name").asText()).isEqualTo("variable");
            assertThat(out.get("shape").toString()).isEqualTo("[5,1]");
            JsonNode want = fx.get("outputs").get("variable");
            for (int i = 0; i < want.size(); i++) {
                assertThat(out.get("data").get(i).asDouble()).isCloseTo(want.get(i).get(0).asDouble(), within(1e-4));
            }

            JsonNode mlflow = Fixture.json(Fixture.postJson(server, "/invocations", "{\"inputs\": {\"features\": " + fx.get("inputs") + "}}"));
            assertThat(mlflow.get("predictions").get(0).asDouble()).isCloseTo(want.get(0).get(0).asDouble(), within(1e-4));
            assertThat(Fixture.postJson(server, "/invocations", "{\"instances\": " + fx.get("inputs") + "}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyTheGraphsTensorsAreAcceptedWithTheirDatatypeAndShape() throws IOException {
        JsonNode rows = fixture("ridge_regressor.onnx").get("inputs");
        try (PredictionServer server = serve("ridge", "ridge_regressor.onnx", null)) {
            HttpResponse<String> wrongType = Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [" + tensor("features", "FP64", rows) + "]}");
            assertThat(wrongType.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(wrongType)).contains("input 'features' has datatype FP64").contains("takes features FP32 [-1, 12]");

            HttpResponse<String> wrongShape = Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [2, 6], \"data\": " + rows.get(0) + "}]}");
            assertThat(wrongShape.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(wrongShape)).contains("shape [2, 6]").contains("[-1, 12]");

            HttpResponse<String> otherName = Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [" + tensor("x", "FP32", rows) + "]}");
            assertThat(otherName.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(otherName)).contains("unknown input 'x'").contains("features FP32 [-1, 12]");

            HttpResponse<String> infinite = Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 12], \"data\": [1,2,3,4,5,6,7,8,9,10,11,1e999]}]}");
            assertThat(infinite.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(infinite)).contains("input 'features' row 0").contains("features_11");
        }
    }

    @Test
    void aClassifierAnswersItsLabelAndProbabilityTensorsInTheirDatatypes() throws IOException {
        JsonNode fx = fixture("logistic_classifier.onnx");
        try (PredictionServer server = serve("iris", "logistic_classifier.onnx", null)) {
            JsonNode meta = Fixture.json(Fixture.get(server, "/v2/models/iris"));
            assertThat(meta.get("outputs").toString()).isEqualTo("[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
                    + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
            JsonNode body = Fixture.json(Fixture.postJson(server, "/v2/models/iris/infer",
                    "{\"inputs\": [" + tensor("input", "FP32", fx.get("inputs")) + "]}"));
            JsonNode label = body.get("outputs").get(0);
            JsonNode probabilities = body.get("outputs").get(1);
            assertThat(label.get("datatype").asText()).isEqualTo("INT64");
            assertThat(label.get("shape").toString()).isEqualTo("[6]");
            assertThat(probabilities.get("shape").toString()).isEqualTo("[6,3]");
            for (int r = 0; r < 6; r++) {
                assertThat(label.get("data").get(r).asLong()).isEqualTo(fx.at("/outputs/label/" + r).asLong());
                for (int c = 0; c < 3; c++) {
                    assertThat(probabilities.get("data").get(r * 3 + c).asDouble())
                            .isCloseTo(fx.at("/outputs/probabilities/" + r + "/" + c).asDouble(), within(1e-4));
                }
            }
            JsonNode onlyLabel = Fixture.json(Fixture.postJson(server, "/v2/models/iris/infer",
                    "{\"inputs\": [" + tensor("input", "FP32", fx.get("inputs")) + "], \"outputs\": [{\"name\": \"label\"}]}"));
            assertThat(onlyLabel.get("outputs")).hasSize(1);
            JsonNode mlflow = Fixture.json(Fixture.postJson(server, "/invocations", "{\"instances\": " + fx.get("inputs") + "}"));
            assertThat(mlflow.at("/predictions/0/label").asLong()).isEqualTo(fx.at("/outputs/label/0").asLong());
            assertThat(mlflow.at("/predictions/0/probabilities")).hasSize(3);
        }
    }

    @Test
    void featureNamesAddColumnsForDataframesAndPerColumnInputsWhileTheTensorStillWorks() throws IOException {
        JsonNode fx = fixture("ridge_regressor.onnx");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("f" + i);
        }
        try (PredictionServer server = serve("ridge", "ridge_regressor.onnx", names)) {
            JsonNode meta = Fixture.json(Fixture.get(server, "/v2/models/ridge"));
            assertThat(meta.get("inputs").get(0).get("name").asText()).isEqualTo("features");
            assertThat(meta.at("/parameters/columns")).hasSize(12);
            double want = fx.at("/outputs/variable/0/0").asDouble();

            StringBuilder perColumn = new StringBuilder("{\"inputs\": [");
            StringBuilder split = new StringBuilder("{\"dataframe_split\": {\"columns\": " + Fixture.JSON.valueToTree(names) + ", \"data\": [[");
            for (int c = 0; c < 12; c++) {
                double v = fx.at("/inputs/0/" + c).asDouble();
                perColumn.append(c == 0 ? "" : ", ").append("{\"name\": \"f").append(c).append("\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [")
                        .append(v).append("]}");
                split.append(c == 0 ? "" : ", ").append(v);
            }
            JsonNode byColumn = Fixture.json(Fixture.postJson(server, "/v2/models/ridge/infer", perColumn.append("]}").toString()));
            assertThat(byColumn.at("/outputs/0/data/0").asDouble()).isCloseTo(want, within(1e-4));
            JsonNode dataframe = Fixture.json(Fixture.postJson(server, "/invocations", split.append("]]}}").toString()));
            assertThat(dataframe.at("/predictions/0").asDouble()).isCloseTo(want, within(1e-4));
            JsonNode byTensor = Fixture.json(Fixture.postJson(server, "/v2/models/ridge/infer",
                    "{\"inputs\": [" + tensor("features", "FP32", fx.get("inputs")) + "]}"));
            assertThat(byTensor.at("/outputs/0/data/0").asDouble()).isCloseTo(want, within(1e-4));
        }
    }

    @Test
    void tensorsOfDifferentDatatypesAreEachCheckedAgainstTheirOwnType() throws IOException {
        try (PredictionServer server = serve("typed", "typed_inputs.onnx", null)) {
            String num = "{\"name\": \"num\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [[1.5, 2]]}";
            HttpResponse<String> ok = Fixture.postJson(server, "/v2/models/typed/infer", "{\"inputs\": [" + num
                    + ", {\"name\": \"count\", \"datatype\": \"INT64\", \"shape\": [1, 1], \"data\": [3]}]}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(Fixture.json(ok).at("/outputs/0/data/0").asDouble()).isEqualTo(1.5 + 2 + 2 * 3);
            HttpResponse<String> fraction = Fixture.postJson(server, "/v2/models/typed/infer", "{\"inputs\": [" + num
                    + ", {\"name\": \"count\", \"datatype\": \"INT64\", \"shape\": [1, 1], \"data\": [2.5]}]}");
            assertThat(fraction.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(fraction)).contains("input 'count'").contains("does not fit INT64");
            HttpResponse<String> missing = Fixture.postJson(server, "/v2/models/typed/infer", "{\"inputs\": [" + num + "]}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(missing)).contains("missing input 'count'");
        }
    }
}
