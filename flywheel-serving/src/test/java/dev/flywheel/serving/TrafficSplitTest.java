package dev.flywheel.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.serving.api.TrafficCodec;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.serving.api.TrafficRole;
import dev.flywheel.serving.testmodel.LinearFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.flywheel.serving.Fixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficSplitTest {
    private static final String TOKEN = "traffic-token";
    private static final String ROW = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";
    private static final float V1 = expected(1, 1, 2, 3);
    private static final float V2 = expected(2, 1, 2, 3);

    @TempDir
    Path dir;

    private PredictionServer start() {
        return PredictionServer.create(cfg -> cfg.adminToken = TOKEN).start(Fixture.linear(dir, 1));
    }

    private static HttpResponse<String> infer(PredictionServer server, String clientKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Fixture.uri(server, "/v2/models/bike/infer")).header("Content-Type", "application/json");
        if (clientKey != null) {
            b.header(ServingProtocol.CLIENT_HEADER, clientKey);
        }
        return Fixture.send(b.POST(HttpRequest.BodyPublishers.ofString(ROW)).build());
    }

    private static float answer(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (float) Fixture.json(r).path("outputs").get(0).path("data").get(0).asDouble();
    }

    private static HttpResponse<String> admin(PredictionServer server, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Fixture.uri(server, ServingProtocol.TRAFFIC_PATH));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return Fixture.send(b.build());
    }

    private static String split(TrafficMode mode, int weight, ModelVersionSpec spec) {
        return new String(TrafficCodec.write(new TrafficCommand.Split(mode, weight, spec)), StandardCharsets.UTF_8);
    }

    @Test
    void canaryAnswersItsWeightOfClientKeysAndEachKeyAlwaysSeesOneVersion() {
        try (PredictionServer server = start()) {
            HttpResponse<String> set = admin(server, TOKEN, split(TrafficMode.CANARY, 30, Fixture.linear(dir, 2)));
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            Map<String, Float> seen = new HashMap<>();
            int onChallenger = 0;
            for (int k = 0; k < 400; k++) {
                String key = "client-" + k;
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = infer(server, key);
                    float y = answer(r);
                    assertThat(y).isIn(V1, V2);
                    assertThat(r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER)).contains(y == V2 ? "2" : "1");
                    assertThat(r.headers().firstValue(ServingProtocol.MODEL_ROLE_HEADER)).contains(y == V2 ? "canary" : "champion");
                    Float first = seen.putIfAbsent(key, y);
                    assertThat(first == null ? y : first).as("key %s switched version", key).isEqualTo(y);
                }
                onChallenger += seen.get(key) == V2 ? 1 : 0;
            }
            // 400 keys at 30 %: 120 expected; 4 standard deviations either side
            assertThat(onChallenger).isBetween(84, 156);
            TrafficReport report = server.trafficReport();
            assertThat(report.mode()).isEqualTo(TrafficMode.CANARY);
            assertThat(report.challenger().requests()).isEqualTo(3L * onChallenger);
            assertThat(report.champion().requests()).isEqualTo(3L * (400 - onChallenger));
            assertThat(report.challenger().outputMean()).isEqualTo(V2, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void weightZeroAndHundredSendNoKeyOrEveryKeyToTheChallenger() {
        try (PredictionServer server = start()) {
            ModelVersionSpec v2 = Fixture.linear(dir, 2);
            for (int weight : new int[]{0, 100}) {
                server.traffic(new TrafficCommand.Split(TrafficMode.CANARY, weight, v2));
                for (int k = 0; k < 50; k++) {
                    assertThat(answer(infer(server, "k" + k))).isEqualTo(weight == 0 ? V1 : V2);
                }
            }
            // requests without a key are spread too, and a request naming its version gets that version
            assertThat(answer(Fixture.postJson(server, "/v2/models/bike/versions/1/infer", ROW))).isEqualTo(V1);
            assertThat(answer(Fixture.postJson(server, "/v2/models/bike/versions/2/infer", ROW))).isEqualTo(V2);
        }
    }

    @Test
    void shadowNeverChangesAnAnswerAndComparesTheChallengersAnswersOnTheSameRequests() {
        try (PredictionServer server = start()) {
            ModelVersionSpec flaky = Fixture.linear(dir, 2, "fail-every=4\n", Fixture.SIGNATURE);
            server.traffic(new TrafficCommand.Split(TrafficMode.SHADOW, 100, flaky));
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = infer(server, "k" + i);
                assertThat(answer(r)).isEqualTo(V1);
                assertThat(r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER)).contains("1");
            }
            assertThat(Fixture.await(() -> {
                TrafficReport t = server.trafficReport();
                return t.challenger().requests() + t.shadow().dropped() == 200;
            }, Duration.ofSeconds(10))).as("every mirror scored or dropped: %s", server.trafficReport()).isTrue();
            TrafficReport t = server.trafficReport();
            assertThat(t.champion().requests()).isEqualTo(200);
            assertThat(t.champion().errors()).isZero();
            assertThat(t.challenger().role()).isEqualTo(TrafficRole.SHADOW);
            // the challenger's own failures are counted against it, never against the answer
            assertThat(t.challenger().errors()).isPositive();
            assertThat(t.shadow().compared()).isEqualTo(t.challenger().requests() - t.challenger().errors());
            assertThat(t.shadow().relativeDifference()).isEqualTo(100.0 / V1, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void aFullMirrorQueueDropsMirrorsWithoutDelayingAnswers() {
        try (PredictionServer server = start()) {
            server.traffic(new TrafficCommand.Split(TrafficMode.SHADOW, 100, Fixture.linear(dir, 2, "delay-ms=200\n", Fixture.SIGNATURE)));
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                assertThat(answer(infer(server, null))).isEqualTo(V1);
            }
            // 300 answers while the shadow needs 200 ms each: the answers did not wait for it
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(server.trafficReport().shadow().dropped()).isPositive();
            assertThat(server.trafficReport().shadow().mirrored() + server.trafficReport().shadow().dropped()).isEqualTo(300);
        }
    }

    @Test
    void promoteLeavesOnlyTheChallengerAndAbortOnlyTheChampionEachClosingTheOther() {
        try (PredictionServer server = start()) {
            int open = LinearFormat.OPEN.get();
            server.traffic(new TrafficCommand.Split(TrafficMode.CANARY, 50, Fixture.linear(dir, 2)));
            assertThat(LinearFormat.OPEN.get()).isEqualTo(open + 1);
            TrafficReport aborted = server.traffic(new TrafficCommand.Abort());
            assertThat(aborted.mode()).isEqualTo(TrafficMode.SINGLE);
            assertThat(aborted.champion().version()).isEqualTo(1);
            assertThat(Fixture.await(() -> LinearFormat.OPEN.get() == open, Duration.ofSeconds(5))).isTrue();
            for (int k = 0; k < 30; k++) {
                assertThat(answer(infer(server, "k" + k))).isEqualTo(V1);
            }
            server.traffic(new TrafficCommand.Split(TrafficMode.CANARY, 10, Fixture.linear(dir, 2)));
            TrafficReport promoted = server.traffic(new TrafficCommand.Promote());
            assertThat(promoted.mode()).isEqualTo(TrafficMode.SINGLE);
            assertThat(promoted.champion().version()).isEqualTo(2);
            assertThat(server.status().version()).isEqualTo(2);
            assertThat(Fixture.await(() -> LinearFormat.OPEN.get() == open, Duration.ofSeconds(5))).isTrue();
            for (int k = 0; k < 30; k++) {
                assertThat(answer(infer(server, "k" + k))).isEqualTo(V2);
            }
        }
    }

    @Test
    void theTrafficEndpointNeedsTheAdminTokenAndRefusesBadCommandsChangingNothing() {
        try (PredictionServer server = start()) {
            String good = split(TrafficMode.CANARY, 10, Fixture.linear(dir, 2));
            assertThat(admin(server, null, good).statusCode()).isEqualTo(401);
            assertThat(admin(server, "wrong", good).statusCode()).isEqualTo(403);
            assertThat(admin(server, null, null).statusCode()).isEqualTo(401);
            Map<String, Integer> bad = new java.util.LinkedHashMap<>();
            bad.put("", 400);
            bad.put("[]", 400);
            bad.put("{\"action\": \"launch\"}", 400);
            bad.put("{\"action\": \"promote\", \"weight\": 3}", 400);
            bad.put(good.replace("\"weight\":10", "\"weight\":101"), 400);
            bad.put(good.replace("\"weight\":10", "\"weight\":1.5"), 400);
            bad.put(good.replace("\"mode\":\"canary\"", "\"mode\":\"single\""), 400);
            bad.put(good.replace("\"action\":\"split\"", "\"action\":\"split\",\"extra\":1"), 400);
            bad.put("{\"action\": \"promote\"}", 409);
            bad.put(split(TrafficMode.CANARY, 10, Fixture.linear(dir, 1)), 409);
            bad.put(split(TrafficMode.CANARY, 10, new ModelVersionSpec("other", 2, "linear", dir.resolve("x"), Fixture.SIGNATURE)), 409);
            bad.put(split(TrafficMode.CANARY, 10, new ModelVersionSpec("bike", 3, "linear", dir.resolve("missing.txt"), Fixture.SIGNATURE)), 422);
            bad.forEach((body, status) -> {
                HttpResponse<String> r = admin(server, TOKEN, body);
                assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(status);
                assertThat(Fixture.error(r)).as(body).isNotBlank();
                assertThat(server.trafficReport().mode()).isEqualTo(TrafficMode.SINGLE);
            });
            assertThat(admin(server, TOKEN, good).statusCode()).isEqualTo(200);
            // a plain swap would cut the rollout off: refused until it is promoted or aborted
            assertThatThrownBy(() -> server.swap(Fixture.linear(dir, 3)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("promote or abort");
            JsonNode report = Fixture.json(admin(server, TOKEN, null));
            assertThat(report.path("mode").asText()).isEqualTo("CANARY");
            assertThat(report.path("weight").asInt()).isEqualTo(10);
        }
    }

    @Test
    void metricsLabelEverySeriesWithTheVersionAndTheRoleItPlays() {
        try (PredictionServer server = start()) {
            server.traffic(new TrafficCommand.Split(TrafficMode.CANARY, 100, Fixture.linear(dir, 2)));
            answer(infer(server, "a"));
            server.traffic(new TrafficCommand.Split(TrafficMode.SHADOW, 100, Fixture.linear(dir, 2)));
            answer(infer(server, "a"));
            assertThat(Fixture.await(() -> server.trafficReport().challenger().requests() == 1, Duration.ofSeconds(5))).isTrue();
            String metrics = Fixture.get(server, "/metrics").body();
            assertThat(metrics).containsPattern("flywheel_serving_requests_seconds_count\\{[^}]*role=\"canary\"[^}]*version=\"2\"[^}]*} 1");
            assertThat(metrics).containsPattern("flywheel_serving_requests_seconds_count\\{[^}]*role=\"shadow\"[^}]*version=\"2\"[^}]*} 1");
            assertThat(metrics).containsPattern("flywheel_serving_requests_seconds_count\\{endpoint=\"infer\"[^}]*role=\"champion\"[^}]*version=\"1\"[^}]*} 1");
        }
    }
}
