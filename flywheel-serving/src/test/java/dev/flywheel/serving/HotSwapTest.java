package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.SwapCodec;
import dev.flywheel.serving.testmodel.LinearFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flywheel.serving.Fixture.error;
import static dev.flywheel.serving.Fixture.expected;
import static dev.flywheel.serving.Fixture.get;
import static dev.flywheel.serving.Fixture.json;
import static dev.flywheel.serving.Fixture.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HotSwapTest {
    private static final String TOKEN = "s3cret-token";
    private static final String ROW = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";

    @TempDir
    Path dir;

    private static HttpResponse<String> admin(PredictionServer server, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Fixture.uri(server, path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return Fixture.send(b.build());
    }

    private static String specJson(ModelVersionSpec spec) {
        return new String(SwapCodec.write(spec), StandardCharsets.UTF_8);
    }

    @Test
    void swapUnderLoadDropsNoRequestAndEachAnswerComesFromExactlyOneVersion() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.adminToken = TOKEN).start(Fixture.linear(dir, 1))) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean mlflow = t % 2 == 1;
                clients.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = mlflow
                                    ? postJson(server, "/invocations", "{\"instances\": [[1, 2, 3]]}")
                                    : postJson(server, "/v2/models/bike/infer", ROW);
                            int version = Integer.parseInt(r.headers().firstValue("X-Model-Version").orElse("-1"));
                            JsonNode body = json(r);
                            float y = mlflow ? body.path("predictions").get(0).floatValue()
                                    : body.path("outputs").get(0).path("data").get(0).floatValue();
                            if (r.statusCode() != 200 || y != expected(version, 1, 2, 3)
                                    || (!mlflow && !body.path("model_version").asText().equals(Integer.toString(version)))) {
                                failures.add(r.statusCode() + " v" + version + " " + r.body());
                            } else {
                                ok.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            for (int v = 2; v <= 11; v++) {
                int before = ok.get();
                Fixture.await(() -> ok.get() >= before + 20, Duration.ofSeconds(5));
                if (v % 2 == 0) {
                    server.swap(Fixture.linear(dir, v));
                } else {
                    HttpResponse<String> r = admin(server, "/admin/swap", TOKEN, specJson(Fixture.linear(dir, v)));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    assertThat(r.headers().firstValue("X-Model-Version")).hasValue(Integer.toString(v));
                }
                assertThat(server.status().version()).isEqualTo(v);
            }
            int before = ok.get();
            Fixture.await(() -> ok.get() >= before + 20, Duration.ofSeconds(5));
            running.set(false);
            for (Thread c : clients) {
                c.join();
            }
            assertThat(failures).isEmpty();
            assertThat(ok.get()).isGreaterThan(200);
            // Every swapped-out version is closed once its requests finished; only version 11 is open.
            Fixture.await(() -> LinearFormat.OPEN.get() == 1, Duration.ofSeconds(5));
            assertThat(LinearFormat.OPEN.get()).isEqualTo(1);
            String metrics = get(server, "/metrics").body();
            assertThat(metrics).contains("version=\"1\"").contains("version=\"11\"");
        }
        assertThat(LinearFormat.OPEN.get()).isZero();
    }

    @Test
    void corruptModelFileLeavesTheOldVersionServingAndAnswers422() {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.adminToken = TOKEN).start(Fixture.linear(dir, 1))) {
            Path corrupt = dir.resolve("corrupt.txt");
            Fixture.write(corrupt, "bias=1\nweights=1,two,3\n");
            ModelVersionSpec bad = new ModelVersionSpec("bike", 2, "linear", corrupt, Fixture.SIGNATURE);

            HttpResponse<String> r = admin(server, "/admin/swap", TOKEN, specJson(bad));
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(error(r)).contains("corrupt linear model").contains(corrupt.toString());
            assertThatThrownBy(() -> server.swap(bad)).isInstanceOf(FlywheelException.class)
                    .satisfies(e -> assertThat(((FlywheelException) e).code()).isEqualTo(ErrorCode.INVALID_MODEL));

            HttpResponse<String> missing = admin(server, "/admin/swap", TOKEN,
                    specJson(new ModelVersionSpec("bike", 2, "linear", dir.resolve("nope.txt"), Fixture.SIGNATURE)));
            assertThat(missing.statusCode()).isEqualTo(422);
            assertThat(error(missing)).contains("nope.txt").contains("does not exist");

            HttpResponse<String> format = admin(server, "/admin/swap", TOKEN,
                    specJson(new ModelVersionSpec("bike", 2, "pmml", corrupt, Fixture.SIGNATURE)));
            assertThat(format.statusCode()).isEqualTo(400);
            assertThat(error(format)).contains("Unknown model format 'pmml'").contains("linear");

            HttpResponse<String> other = admin(server, "/admin/swap", TOKEN, specJson(Fixture.linear(dir, 2))
                    .replace("\"bike\"", "\"taxi\""));
            assertThat(other.statusCode()).isEqualTo(409);
            assertThat(error(other)).contains("serves model 'bike', not 'taxi'");

            HttpResponse<String> unknownField = admin(server, "/admin/swap", TOKEN, "{\"modelName\": \"bike\", \"versoin\": 2}");
            assertThat(unknownField.statusCode()).isEqualTo(400);
            assertThat(error(unknownField)).contains("unknown field 'versoin'");

            HttpResponse<String> still = postJson(server, "/v2/models/bike/infer", ROW);
            assertThat(still.statusCode()).isEqualTo(200);
            assertThat(still.headers().firstValue("X-Model-Version")).hasValue("1");
            assertThat(json(still).path("outputs").get(0).path("data").get(0).floatValue()).isEqualTo(expected(1, 1, 2, 3));
        }
    }

    @Test
    void adminWithoutTheRightTokenIsRefused() {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.adminToken = TOKEN).start(Fixture.linear(dir, 1))) {
            String body = specJson(Fixture.linear(dir, 2));
            HttpResponse<String> none = admin(server, "/admin/swap", null, body);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(error(none)).contains("Authorization: Bearer");
            assertThat(admin(server, "/admin/swap", "wrong", body).statusCode()).isEqualTo(403);
            assertThat(admin(server, "/admin/status", null, null).statusCode()).isEqualTo(401);
            assertThat(server.status().version()).isEqualTo(1);

            HttpResponse<String> status = admin(server, "/admin/status", TOKEN, null);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(json(status).path("modelName").asText()).isEqualTo("bike");
            assertThat(json(status).path("version").asInt()).isEqualTo(1);
            assertThat(json(status).path("format").asText()).isEqualTo("linear");
        }
        try (PredictionServer noAdmin = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            HttpResponse<String> r = admin(noAdmin, "/admin/swap", TOKEN, specJson(Fixture.linear(dir, 2)));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(error(r)).contains("disabled");
        }
    }

    @Test
    void startWithACorruptModelFailsWithItsPathAndBindsNothing() {
        Path corrupt = dir.resolve("bad.txt");
        Fixture.write(corrupt, "this is not a model");
        PredictionServer server = PredictionServer.create(cfg -> { });
        assertThatThrownBy(() -> server.start(new ModelVersionSpec("bike", 1, "linear", corrupt, Fixture.SIGNATURE)))
                .isInstanceOf(FlywheelException.class).hasMessageContaining(corrupt.toString());
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
    }
}
