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
import static dev.flywheel.serving.Fixture.post;
import static dev.flywheel.serving.Fixture.postJson;
import static org.assertj.core.api.Assertions.assertThat;

class MlflowProtocolTest {
    @TempDir
    static Path dir;
    static PredictionServer server;

    @BeforeAll
    static void start() {
        server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertPredictions(HttpResponse<String> r, float... expected) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Model-Version")).hasValue("2");
        JsonNode p = json(r).path("predictions");
        assertThat(p).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(p.get(i).floatValue()).isEqualTo(expected[i]);
        }
    }

    @Test
    void pingHealthAndVersionAnswer() {
        assertThat(get(server, "/ping").statusCode()).isEqualTo(200);
        assertThat(get(server, "/health").statusCode()).isEqualTo(200);
        HttpResponse<String> v = get(server, "/version");
        assertThat(v.statusCode()).isEqualTo(200);
        assertThat(v.body()).isEqualTo(PredictionServer.VERSION);
    }

    @Test
    void dataframeSplitColumnsMayComeInAnyOrder() {
        assertPredictions(postJson(server, "/invocations", """
                {"dataframe_split": {"columns": ["wind", "temp", "hum"], "data": [[1, 2, 3], [0, 0, 1]]}}"""),
                expected(2, 2, 3, 1), expected(2, 0, 1, 0));
    }

    @Test
    void dataframeRecordsMayOmitNullableFeatures() {
        assertPredictions(postJson(server, "/invocations", """
                {"dataframe_records": [{"temp": 1, "hum": 2, "wind": 3}, {"temp": 4, "hum": 5}]}"""),
                expected(2, 1, 2, 3), expected(2, 4, 5, 0));
    }

    @Test
    void instancesAcceptRowsOrRecordsAndInputsAcceptColumns() {
        assertPredictions(postJson(server, "/invocations", "{\"instances\": [[1, 2, 3]]}"), expected(2, 1, 2, 3));
        assertPredictions(postJson(server, "/invocations", "{\"instances\": [{\"temp\": 1, \"hum\": 2, \"wind\": 3}]}"),
                expected(2, 1, 2, 3));
        assertPredictions(postJson(server, "/invocations", "{\"inputs\": {\"temp\": [1, 7], \"hum\": [2, 8], \"wind\": [3, 9]}}"),
                expected(2, 1, 2, 3), expected(2, 7, 8, 9));
        assertPredictions(postJson(server, "/invocations", "{\"inputs\": [[1, 2, 3]]}"), expected(2, 1, 2, 3));
    }

    @Test
    void csvWithHeaderRowIsScored() {
        assertPredictions(post(server, "/invocations", "text/csv; charset=utf-8", "hum,temp,wind\n2,1,3\n5,4,\n"),
                expected(2, 1, 2, 3), expected(2, 4, 5, 0));
    }

    @Test
    void otherContentTypesAre415() {
        HttpResponse<String> r = post(server, "/invocations", "text/plain", "1,2,3");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(error(r)).contains("text/plain").contains("application/json or text/csv");
    }

    @Test
    void badRowsNameTheFeatureAndRow() {
        HttpResponse<String> missing = postJson(server, "/invocations", "{\"dataframe_records\": [{\"temp\": 1, \"wind\": 3}]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing)).contains("missing feature 'hum'").contains("dataframe_records[0]");
        HttpResponse<String> unknown = postJson(server, "/invocations",
                "{\"dataframe_split\": {\"columns\": [\"temp\", \"hum\", \"rain\"], \"data\": [[1, 2, 3]]}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown)).contains("unknown feature 'rain'");
        HttpResponse<String> string = postJson(server, "/invocations", "{\"instances\": [[1, 2, 3], [1, \"x\", 3]]}");
        assertThat(string.statusCode()).isEqualTo(400);
        assertThat(error(string)).contains("feature 'hum'").contains("instances[1]");
        HttpResponse<String> width = postJson(server, "/invocations", "{\"instances\": [[1, 2]]}");
        assertThat(width.statusCode()).isEqualTo(400);
        assertThat(error(width)).contains("instances[0] must be an array of 3 values");
        HttpResponse<String> csv = post(server, "/invocations", "text/csv", "temp,hum,wind\n1,abc,3\n");
        assertThat(csv.statusCode()).isEqualTo(400);
        assertThat(error(csv)).contains("CSV row 1 column 'hum'").contains("\"abc\"");
        HttpResponse<String> nullCsv = post(server, "/invocations", "text/csv", "temp,hum,wind\n,1,3\n");
        assertThat(nullCsv.statusCode()).isEqualTo(400);
        assertThat(error(nullCsv)).contains("feature 'temp'").contains("not nullable");
    }

    @Test
    void malformedOrAmbiguousJsonIs400() {
        HttpResponse<String> malformed = postJson(server, "/invocations", "{\"instances\": [[1, 2, 3]");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(error(malformed)).startsWith("malformed JSON");
        HttpResponse<String> two = postJson(server, "/invocations", "{\"instances\": [[1,2,3]], \"inputs\": [[1,2,3]]}");
        assertThat(two.statusCode()).isEqualTo(400);
        assertThat(error(two)).contains("both 'instances' and 'inputs'");
        HttpResponse<String> none = postJson(server, "/invocations", "{\"rows\": []}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(error(none)).contains("unknown key 'rows'");
        HttpResponse<String> empty = postJson(server, "/invocations", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(error(empty)).contains("empty");
    }

    @Test
    void classProbabilitiesComeBackAsOneListPerRow(@TempDir Path own) {
        var sig = new dev.flywheel.sdk.model.ModelSignature(Fixture.SIGNATURE.inputs(),
                java.util.List.of(dev.flywheel.sdk.model.Feature.fp32("proba")));
        try (PredictionServer classifier = PredictionServer.create(cfg -> { })
                .start(Fixture.linear(own, 1, "classes=3", sig))) {
            HttpResponse<String> r = postJson(classifier, "/invocations", "{\"instances\": [[0, 0, 0]]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("predictions").get(0).toString()).isEqualTo("[100.0,101.0,102.0]");
            HttpResponse<String> v2 = postJson(classifier, "/v2/models/bike/infer",
                    "{\"inputs\": [{\"name\": \"m\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [0, 0, 0]}]}");
            assertThat(json(v2).path("outputs").get(0).path("shape").toString()).isEqualTo("[1,3]");
            assertThat(json(get(classifier, "/v2/models/bike")).path("outputs").get(0).path("shape").toString())
                    .isEqualTo("[-1,3]");
        }
    }
}
