package dev.flywheel.serving;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A known path asked with a method it does not serve answers 405 with Allow, as HTTP says, never 404. */
class MethodNotAllowedTest {
    private static final List<String> POST_ONLY = List.of("/v2/models/bike/infer", "/v2/models/bike/versions/1/infer",
            "/invocations", "/admin/swap");
    private static final List<String> GET_ONLY = List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/bike",
            "/v2/models/bike/versions/1", "/v2/models/bike/ready", "/v2/models/bike/versions/1/ready", "/ping", "/health",
            "/version", "/metrics", "/admin/status");

    @TempDir
    Path dir;

    private static HttpResponse<String> call(PredictionServer server, String method, String path) {
        return Fixture.send(HttpRequest.newBuilder(Fixture.uri(server, path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void postOnlyRoutesAnswerOtherMethodsWith405AndAllowPost() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            for (String path : POST_ONLY) {
                for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                    HttpResponse<String> r = call(server, method, path);
                    assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                    assertThat(r.headers().firstValue("Allow")).as(method + " " + path).hasValue("POST");
                    assertThat(Fixture.error(r)).contains("method " + method + " is not allowed on " + path).contains("POST");
                    assertThat(r.headers().firstValue("X-Model-Version")).hasValue("1");
                }
            }
        }
    }

    @Test
    void getOnlyRoutesAnswerOtherMethodsWith405AndAllowGetAndHead() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            for (String path : GET_ONLY) {
                for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                    HttpResponse<String> r = call(server, method, path);
                    assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                    assertThat(r.headers().firstValue("Allow")).as(method + " " + path).hasValue("GET, HEAD");
                }
            }
        }
    }

    @Test
    void headAnswersLikeGetWithoutABodyAndOptionsListsTheMethods() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            HttpResponse<String> head = call(server, "HEAD", "/v2/health/ready");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            HttpResponse<String> options = call(server, "OPTIONS", "/v2/models/bike/infer");
            assertThat(options.statusCode()).isEqualTo(204);
            assertThat(options.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Test
    void unknownPathsStill404() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            HttpResponse<String> r = call(server, "GET", "/v2/nothing/here");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(Fixture.error(r)).contains("no endpoint GET /v2/nothing/here");
        }
    }
}
