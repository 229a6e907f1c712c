package dev.flywheel.serving;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.flywheel.serving.Fixture.error;
import static dev.flywheel.serving.Fixture.expected;
import static dev.flywheel.serving.Fixture.get;
import static dev.flywheel.serving.Fixture.json;
import static dev.flywheel.serving.Fixture.postJson;
import static org.assertj.core.api.Assertions.assertThat;

class OipProtocolTest {
    @TempDir
    static Path dir;
    static PredictionServer server;

    @BeforeAll
    static void start() {
        server = PredictionServer.create(cfg -> cfg.maxBodyBytes = 4096).start(Fixture.linear(dir, 3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> infer(String body) {
        return postJson(server, "/v2/models/bike/infer", body);
    }

    @Test
    void serverMetadataNamesServerVersionAndExtensions() {
        HttpResponse<String> r = get(server, "/v2");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("name").asText()).isEqualTo("flywheel-serving");
        assertThat(body.path("version").asText()).isEqualTo(PredictionServer.VERSION);
        assertThat(body.path("extensions").isArray()).isTrue();
        assertThat(r.headers().firstValue("X-Model-Version")).hasValue("3");
    }

    @Test
    void healthEndpointsAnswerLiveAndReady() {
        assertThat(get(server, "/v2/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(server, "/v2/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("ready").asBoolean()).isTrue();
        assertThat(get(server, "/v2/models/bike/ready").statusCode()).isEqualTo(200);
        assertThat(get(server, "/v2/models/bike/versions/3/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void modelMetadataListsInputsOutputsVersionAndPlatform() {
        for (String path : new String[] {"/v2/models/bike", "/v2/models/bike/versions/3"}) {
            HttpResponse<String> r = get(server, path);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode m = json(r);
            assertThat(m.path("name").asText()).isEqualTo("bike");
            assertThat(m.path("versions").get(0).asText()).isEqualTo("3");
            assertThat(m.path("platform").asText()).isEqualTo("linear");
            assertThat(m.path("inputs")).hasSize(3);
            assertThat(m.path("inputs").get(0).path("name").asText()).isEqualTo("temp");
            assertThat(m.path("inputs").get(0).path("datatype").asText()).isEqualTo("FP32");
            assertThat(m.path("inputs").get(0).path("shape").get(0).asInt()).isEqualTo(-1);
            assertThat(m.path("outputs").get(0).path("name").asText()).isEqualTo("prediction");
        }
    }

    @Test
    void unknownModelOrVersionIs404() {
        HttpResponse<String> model = get(server, "/v2/models/taxi");
        assertThat(model.statusCode()).isEqualTo(404);
        assertThat(error(model)).contains("'taxi'").contains("'bike'");
        HttpResponse<String> version = postJson(server, "/v2/models/bike/versions/9/infer", "{}");
        assertThat(version.statusCode()).isEqualTo(404);
        assertThat(error(version)).contains("version '9'").contains("served version is 3");
        assertThat(get(server, "/v2/models/bike/versions/2/ready").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownPathIsJson404WithVersionHeader() {
        HttpResponse<String> r = get(server, "/v3/models");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r)).contains("no endpoint GET /v3/models");
        assertThat(r.headers().firstValue("X-Model-Version")).hasValue("3");
    }

    @Test
    void perFeatureInputsPredictEveryRowInOneCall() {
        HttpResponse<String> r = infer("""
                {"id": "req-7", "parameters": {"x": 1}, "inputs": [
                  {"name": "temp", "shape": [2], "datatype": "FP32", "data": [1.5, 2]},
                  {"name": "hum", "shape": [2, 1], "datatype": "FP64", "data": [[0.5], [1]]},
                  {"name": "wind", "shape": [2], "datatype": "FP32", "data": [3, null]}]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("id").asText()).isEqualTo("req-7");
        assertThat(body.path("model_name").asText()).isEqualTo("bike");
        assertThat(body.path("model_version").asText()).isEqualTo("3");
        JsonNode out = body.path("outputs").get(0);
        assertThat(out.path("name").asText()).isEqualTo("prediction");
        assertThat(out.path("datatype").asText()).isEqualTo("FP32");
        assertThat(out.path("shape").get(0).asInt()).isEqualTo(2);
        assertThat(out.path("data").get(0).floatValue()).isEqualTo(expected(3, 1.5f, 0.5f, 3));
        assertThat(out.path("data").get(1).floatValue()).isEqualTo(expected(3, 2, 1, 0));
        assertThat(r.headers().firstValue("X-Model-Version")).hasValue("3");
    }

    @Test
    void matrixInputTakesSignatureColumnsInOrderFlatOrNested() {
        String flat = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5, 6]}]}";
        String nested = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [[1, 2, 3], [4, 5, 6]]}]}";
        for (String body : new String[] {flat, nested}) {
            HttpResponse<String> r = postJson(server, "/v2/models/bike/versions/3/infer", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode data = json(r).path("outputs").get(0).path("data");
            assertThat(data.get(0).floatValue()).isEqualTo(expected(3, 1, 2, 3));
            assertThat(data.get(1).floatValue()).isEqualTo(expected(3, 4, 5, 6));
        }
    }

    @Test
    void requestedOutputsAreHonouredAndUnknownOutputsRejected() {
        String ok = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 1, 1]}],"
                + " \"outputs\": [{\"name\": \"prediction\"}]}";
        assertThat(json(infer(ok)).path("outputs")).hasSize(1);
        HttpResponse<String> bad = infer(ok.replace("\"prediction\"", "\"proba\""));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad)).contains("unknown output 'proba'").contains("[prediction]");
    }

    @Test
    void missingFeatureIsRejectedWithItsName() {
        HttpResponse<String> r = infer("""
                {"inputs": [{"name": "temp", "shape": [1], "datatype": "FP32", "data": [1]},
                            {"name": "wind", "shape": [1], "datatype": "FP32", "data": [1]}]}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("missing input 'hum'");
    }

    @Test
    void unknownFeatureIsRejectedWithItsName() {
        HttpResponse<String> r = infer("""
                {"inputs": [{"name": "temp", "shape": [1], "datatype": "FP32", "data": [1]},
                            {"name": "rain", "shape": [1], "datatype": "FP32", "data": [1]}]}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("unknown input 'rain'").contains("[temp, hum, wind]");
    }

    @Test
    void stringForAFloatFeatureIsRejectedWithFeatureAndRow() {
        HttpResponse<String> r = infer("""
                {"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, "warm", 6]}]}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("feature 'hum'").contains("string \"warm\"").contains("row 1");
    }

    @Test
    void wrongShapeIsRejected() {
        HttpResponse<String> matrix = infer("""
                {"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FP32", "data": [1, 2]}]}""");
        assertThat(matrix.statusCode()).isEqualTo(400);
        assertThat(error(matrix)).contains("shape [N,3]").contains("[1, 2]");
        HttpResponse<String> count = infer("""
                {"inputs": [{"name": "x", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3]}]}""");
        assertThat(count.statusCode()).isEqualTo(400);
        assertThat(error(count)).contains("input 'x'").contains("6 values").contains("holds 3");
        HttpResponse<String> rows = infer("""
                {"inputs": [{"name": "temp", "shape": [2], "datatype": "FP32", "data": [1, 2]},
                            {"name": "hum", "shape": [1], "datatype": "FP32", "data": [1]},
                            {"name": "wind", "shape": [2], "datatype": "FP32", "data": [1, 2]}]}""");
        assertThat(rows.statusCode()).isEqualTo(400);
        assertThat(error(rows)).contains("input 'hum' has 1 rows");
        HttpResponse<String> cube = infer("""
                {"inputs": [{"name": "temp", "shape": [1, 2], "datatype": "FP32", "data": [1, 2]}]}""");
        assertThat(cube.statusCode()).isEqualTo(400);
        assertThat(error(cube)).contains("input 'temp' has shape [1, 2]");
    }

    @Test
    void nanOrNullForANonNullableFeatureIsRejectedButAllowedWhereNullable() {
        HttpResponse<String> nan = infer("""
                {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [NaN, 2, 3]}]}""");
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(error(nan)).contains("feature 'temp'").contains("NaN").contains("not nullable");
        HttpResponse<String> nul = infer("""
                {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, null, 3]}]}""");
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(error(nul)).contains("feature 'hum'").contains("null");
        HttpResponse<String> nullable = infer("""
                {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, NaN]}]}""");
        assertThat(nullable.statusCode()).as(nullable.body()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400WithPosition() {
        HttpResponse<String> r = infer("{\"inputs\": [");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).startsWith("malformed JSON at line 1");
        HttpResponse<String> notObject = infer("[1, 2]");
        assertThat(notObject.statusCode()).isEqualTo(400);
        assertThat(error(notObject)).contains("'inputs'");
        HttpResponse<String> bytes = infer("""
                {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "BYTES", "data": ["a", "b", "c"]}]}""");
        assertThat(bytes.statusCode()).isEqualTo(400);
        assertThat(error(bytes)).contains("datatype 'BYTES'");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}], \"id\": \""
                + "a".repeat(5000) + "\"}";
        HttpResponse<String> r = infer(big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r)).contains("4096 bytes");
        assertThat(get(server, "/v2/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsAndErrorsByVersionAndEndpoint() {
        infer("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
        infer("{");
        HttpResponse<String> r = get(server, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .containsPattern("flywheel_serving_requests_seconds_count\\{endpoint=\"infer\",model=\"bike\",protocol=\"v2\",role=\"champion\",version=\"3\"} [1-9]")
                .containsPattern("flywheel_serving_errors_total\\{endpoint=\"infer\",model=\"bike\",protocol=\"v2\",role=\"champion\",version=\"3\"} [1-9]")
                .contains("flywheel_serving_requests_seconds_bucket{endpoint=\"infer\"");
    }
}
