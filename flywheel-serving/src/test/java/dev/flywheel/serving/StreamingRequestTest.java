package dev.flywheel.serving;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.flywheel.serving.Fixture.error;
import static dev.flywheel.serving.Fixture.expected;
import static dev.flywheel.serving.Fixture.json;
import static dev.flywheel.serving.Fixture.postJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The streaming request readers over real HTTP: many rows, nested data, unusual field orders and cut bodies. */
class StreamingRequestTest {
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

    @Test
    void hundredRowMatrixWithNestedDataIsScoredRowByRow() {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            rows.add("[" + r + "," + (r * 0.5) + "," + (r % 3 == 0 ? "null" : Integer.toString(-r)) + "]");
        }
        HttpResponse<String> res = postJson(server, "/v2/models/bike/infer", "{\"id\":\"many\",\"inputs\":[{\"name\":\"features\","
                + "\"shape\":[100,3],\"datatype\":\"FP32\",\"data\":[" + String.join(",", rows) + "]}]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode out = json(res).path("outputs").get(0);
        assertThat(json(res).path("id").asText()).isEqualTo("many");
        assertThat(out.path("shape").get(0).asInt()).isEqualTo(100);
        for (int r = 0; r < 100; r++) {
            // A null wind is missing (NaN), which the test model reads as 0.
            float wind = r % 3 == 0 ? 0 : -r;
            assertThat(out.path("data").get(r).floatValue()).as("row " + r).isEqualTo(expected(2, r, r * 0.5f, wind));
        }
    }

    @Test
    void fieldsInAnUnusualOrderAreAnsweredAsBefore() {
        HttpResponse<String> res = postJson(server, "/v2/models/bike/infer", "{\"inputs\":[{\"data\":[[1,2,3]],\"shape\":[1,3],"
                + "\"datatype\":\"FP32\",\"name\":\"features\"}],\"id\":\"late\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(json(res).path("outputs").get(0).path("data").get(0).floatValue()).isEqualTo(expected(2, 1, 2, 3));
    }

    @Test
    void everyCutOfARequestIsA400SayingWhereTheJsonStopped() {
        String oip = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
        String split = "{\"dataframe_split\":{\"columns\":[\"temp\",\"hum\",\"wind\"],\"data\":[[1,2,3]]}}";
        for (int cut = 1; cut < oip.length(); cut += 7) {
            HttpResponse<String> res = postJson(server, "/v2/models/bike/infer", oip.substring(0, cut));
            assertThat(res.statusCode()).as(oip.substring(0, cut)).isEqualTo(400);
            assertThat(error(res)).as(oip.substring(0, cut)).startsWith("malformed JSON at line 1, column ");
        }
        for (int cut = 1; cut < split.length(); cut += 7) {
            HttpResponse<String> res = postJson(server, "/invocations", split.substring(0, cut));
            assertThat(res.statusCode()).as(split.substring(0, cut)).isEqualTo(400);
            assertThat(error(res)).as(split.substring(0, cut)).startsWith("malformed JSON at line 1, column ");
        }
    }

    @Test
    void invocationsStreamRowsAndRecordsWithTheSameAnswers() {
        HttpResponse<String> split = postJson(server, "/invocations",
                "{\"dataframe_split\":{\"columns\":[\"wind\",\"temp\",\"hum\"],\"data\":[[3,1,2],[6,4,5]]}}");
        HttpResponse<String> records = postJson(server, "/invocations",
                "{\"dataframe_records\":[{\"temp\":1,\"hum\":2,\"wind\":3},{\"hum\":5,\"wind\":6,\"temp\":4}]}");
        HttpResponse<String> instances = postJson(server, "/invocations", "{\"instances\":[[1,2,3],[4,5,6]]}");
        for (HttpResponse<String> res : List.of(split, records, instances)) {
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertThat(json(res).path("predictions").get(0).floatValue()).isEqualTo(expected(2, 1, 2, 3));
            assertThat(json(res).path("predictions").get(1).floatValue()).isEqualTo(expected(2, 4, 5, 6));
        }
    }
}
