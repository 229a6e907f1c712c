package dev.flywheel.client;

import com.sun.net.httpserver.HttpServer;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.ServerMain;
import dev.flywheel.serving.api.SwapCodec;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client against a real prediction server process ({@code ServerMain} serving a small XGBoost model trained
 * here): answers equal the model's own predictions through OIP v2 (one matrix, per-feature tensors of several types)
 * and {@code /invocations}; errors carry the server's message and code; retries happen on connection errors only
 * (checked against small JDK HTTP servers that refuse, answer late, hang or fail).
 */
class PredictionClientTest {
    private static final List<String> FEATURES = List.of("a", "b", "c");
    private static final ModelSignature SIGNATURE = ModelSignature.regression(FEATURES);
    private static final float[][] ROWS = rows(7);
    private static Path dir;
    private static Process server;
    private static String inferUrl;
    private static String grpcTarget;
    private static float[] expected;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("flywheel-client-test");
        Model model = tinyModel();
        Path file = Files.write(dir.resolve("model.json"), model.content());
        Path signature = Files.write(dir.resolve("signature.json"), SwapCodec.writeSignature(SIGNATURE));
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(model.content(), "test", SIGNATURE)) {
            float[] flat = new float[ROWS.length * 3];
            for (int r = 0; r < ROWS.length; r++) {
                System.arraycopy(ROWS[r], 0, flat, r * 3, 3);
            }
            expected = loaded.predict(new FeatureBatch(ROWS.length, 3, flat)).values();
        }
        Path ready = dir.resolve("ready");
        server = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--model-name", "tiny", "--model-version", "4", "--format", "xgboost", "--model-file", file.toString(),
                "--signature-file", signature.toString(), "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0",
                "--ready-file", ready.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        Await.until(Duration.ofSeconds(60), "the prediction server is ready", () -> Files.exists(ready) || !server.isAlive());
        assertThat(server.isAlive()).as(Files.readString(dir.resolve("server.log"))).isTrue();
        inferUrl = "http://127.0.0.1:" + Files.readString(ready).strip() + "/v2/models/tiny/infer";
        // The server writes its settings (the gRPC port among them) beside the ready file before the ready file.
        grpcTarget = "127.0.0.1:" + Files.readAllLines(dir.resolve("ready.serving")).stream()
                .filter(l -> l.startsWith("grpc.port=")).findFirst().orElseThrow().substring("grpc.port=".length());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void oneMatrixTensorIsAnsweredWithTheModelsOwnPredictions() {
        PredictionClient client = PredictionClient.forUrl(inferUrl);
        assertThat(client.ready()).isTrue();
        InferResponse r = client.infer(Tensor.fp32("x", ROWS));
        assertThat(r.modelName()).isEqualTo("tiny");
        assertThat(r.modelVersion()).isEqualTo("4");
        Tensor out = r.output();
        assertThat(out.datatype()).isEqualTo(Datatype.FP32);
        assertThat(out.shape()[0]).isEqualTo(ROWS.length);
        assertThat(out.floats()).containsExactly(expected);
        assertThat(r.output(out.name())).isEqualTo(out);
    }

    @Test
    void perFeatureTensorsOfEveryNumericTypeGiveTheSameAnswers() {
        PredictionClient client = PredictionClient.forUrl(inferUrl);
        int n = ROWS.length;
        long[] shape = {n};
        float[] a = column(0);
        double[] b = new double[n];
        float[] c = column(2);
        for (int i = 0; i < n; i++) {
            b[i] = ROWS[i][1];
        }
        InferResponse fp = client.infer(Tensor.fp32("a", shape, a), Tensor.fp64("b", shape, b), Tensor.fp32("c", shape, c));
        assertThat(fp.output().floats()).containsExactly(expected);

        float[][] whole = {{1, 0, 3}, {0, 2, 1}};
        InferResponse ints = client.infer(Tensor.int64("a", new long[]{2}, 1, 0), Tensor.int32("b", new long[]{2}, 0, 2),
                Tensor.fp64("c", new long[]{2}, 3, 1));
        assertThat(ints.output().floats()).containsExactly(client.infer(Tensor.fp32("x", whole)).output().floats());
    }

    @Test
    void invocationsWithRecordsGiveTheSamePredictions() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (float[] row : ROWS) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int f = 0; f < 3; f++) {
                record.put(FEATURES.get(f), row[f]);
            }
            records.add(record);
        }
        Predictions p = PredictionClient.forUrl(inferUrl).invocations(records);
        assertThat(p.size()).isEqualTo(ROWS.length);
        assertThat(p.modelVersion()).isEqualTo("4");
        for (int i = 0; i < expected.length; i++) {
            assertThat((float) p.doubles()[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void metadataListsTheModelsTensors() {
        ModelMetadata m = PredictionClient.forUrl(inferUrl).metadata();
        assertThat(m.name()).isEqualTo("tiny");
        assertThat(m.versions()).contains("4");
        assertThat(m.inputs()).extracting(ModelMetadata.TensorSpec::name).containsExactly("a", "b", "c");
        assertThat(m.outputs()).isNotEmpty();
    }

    @Test
    void badRequestsFailWithTheServersMessageAndItsCode() {
        PredictionClient client = PredictionClient.forUrl(inferUrl);
        assertThatThrownBy(() -> client.infer(Tensor.fp32("x", new float[][]{{1, 2}})))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("answered 400").hasMessageContaining("3");
        PredictionClient other = PredictionClient.builder(inferUrl.substring(0, inferUrl.indexOf("/v2")), "nope").build();
        assertThatThrownBy(() -> other.infer(Tensor.fp32("x", ROWS)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> PredictionClient.forUrl("http://127.0.0.1:1/v2/models/m"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(PredictionClient.forUrl("http://127.0.0.1:1/prefix/v2/models/m/versions/3/infer").model()).isEqualTo("m");
        assertThatThrownBy(() -> Tensor.fp32("x", new long[]{2, 2}, 1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 4 values, the data has 3");
    }

    @Test
    void aRefusedConnectionIsRetriedWithBackoffThenReportedAsUnavailable() throws Exception {
        int port = freePort();
        PredictionClient never = PredictionClient.builder("http://127.0.0.1:" + port, "tiny").retries(3)
                .retryBackoff(Duration.ofMillis(100)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> never.infer(Tensor.fp32("x", ROWS)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("after 4 attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("backoff 100 + 200 + 400 ms").isGreaterThanOrEqualTo(Duration.ofMillis(700));

        PredictionClient once = PredictionClient.builder("http://127.0.0.1:" + port, "tiny").retries(0).build();
        assertThatThrownBy(() -> once.infer(Tensor.fp32("x", ROWS))).hasMessageContaining("after 1 attempt:");
    }

    @Test
    void aServerThatStartsListeningDuringTheRetriesIsReached() throws Exception {
        int port = freePort();
        AtomicInteger hits = new AtomicInteger();
        Thread late = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
                fake(port, hits, 200, "{\"model_name\":\"tiny\",\"model_version\":\"9\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP64\","
                        + "\"shape\":[1],\"data\":[[2.5]]}]}", 0);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            PredictionClient client = PredictionClient.builder("http://127.0.0.1:" + port, "tiny").retries(8)
                    .retryBackoff(Duration.ofMillis(50)).build();
            InferResponse r = client.infer(Tensor.fp32("x", new long[]{1, 3}, 1, 2, 3));
            assertThat(r.modelVersion()).isEqualTo("9");
            assertThat(r.output("y").doubles()).containsExactly(2.5);
            assertThat(hits.get()).isEqualTo(1);
        } finally {
            late.join();
            stopFakes();
        }
    }

    @Test
    void requestsThatReachedTheServerAreNeverRetried() throws Exception {
        AtomicInteger slowHits = new AtomicInteger();
        int slow = freePort();
        fake(slow, slowHits, 200, "{}", 2_000);
        AtomicInteger failingHits = new AtomicInteger();
        int failing = freePort();
        fake(failing, failingHits, 503, "{\"error\":\"model is loading\"}", 0);
        try {
            PredictionClient slowClient = PredictionClient.builder("http://127.0.0.1:" + slow, "tiny").retries(3)
                    .timeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> slowClient.infer(Tensor.fp32("x", ROWS)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("No answer").hasMessageContaining("within 300 ms");
            PredictionClient failingClient = PredictionClient.builder("http://127.0.0.1:" + failing, "tiny").retries(3).build();
            assertThatThrownBy(() -> failingClient.infer(Tensor.fp32("x", ROWS)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("answered 503: model is loading");
            Await.until(Duration.ofSeconds(5), "the slow handler saw its request", () -> slowHits.get() == 1);
            assertThat(slowHits.get()).as("a timed-out request is not sent again").isEqualTo(1);
            assertThat(failingHits.get()).as("an HTTP error is not retried").isEqualTo(1);
        } finally {
            stopFakes();
        }
    }

    @Test
    void grpcAnswersEveryCallAsRestDoesWithTypedAndRawContents() {
        PredictionClient rest = PredictionClient.forUrl(inferUrl);
        ModelMetadata restMetadata = rest.metadata();
        for (boolean raw : new boolean[]{false, true}) {
            try (PredictionClient grpc = PredictionClient.builderForGrpc(grpcTarget, "tiny").rawContents(raw).build()) {
                assertThat(grpc.ready()).isTrue();
                assertThat(grpc.modelReady()).isTrue();
                InferResponse r = grpc.infer(Tensor.fp32("x", ROWS));
                assertThat(r.modelName()).isEqualTo("tiny");
                assertThat(r.modelVersion()).isEqualTo("4");
                assertThat(r.output().shape()[0]).isEqualTo(ROWS.length);
                assertThat(r.output().floats()).as("raw " + raw).containsExactly(expected);

                // Per-feature tensors of several element types, as over REST.
                long[] two = {2};
                Tensor[] typed = {Tensor.int64("a", two, 1, 0), Tensor.int32("b", two, 0, 2), Tensor.fp64("c", two, 3, 1)};
                assertThat(grpc.infer(typed).output().floats()).as("raw " + raw).containsExactly(rest.infer(typed).output().floats());
                assertThat(grpc.infer(List.of(Tensor.fp32("x", ROWS)), List.of(r.output().name())).output().floats())
                        .containsExactly(expected);

                ModelMetadata m = grpc.metadata();
                assertThat(m).isEqualTo(restMetadata);
            }
        }
        try (PredictionClient otherVersion = PredictionClient.builderForGrpc(grpcTarget, "tiny").version("5").build();
             PredictionClient otherModel = PredictionClient.builderForGrpc(grpcTarget, "nope").build();
             PredictionClient sameVersion = PredictionClient.builderForGrpc(grpcTarget, "tiny").version("4").build()) {
            assertThat(otherVersion.modelReady()).isFalse();
            assertThat(otherModel.modelReady()).isFalse();
            assertThat(sameVersion.modelReady()).isTrue();
            assertThat(PredictionClient.builder(inferUrl.substring(0, inferUrl.indexOf("/v2")), "nope").build().modelReady()).isFalse();
            assertThat(rest.modelReady()).isTrue();
        }
    }

    @Test
    void grpcErrorsCarryTheServersMessageAndItsCode() {
        try (PredictionClient grpc = PredictionClient.builderForGrpc(grpcTarget, "tiny").build();
             PredictionClient other = PredictionClient.builderForGrpc(grpcTarget, "nope").build()) {
            assertThatThrownBy(() -> grpc.infer(Tensor.fp32("x", new float[][]{{1, 2}})))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("ModelInfer on " + grpcTarget + " answered INVALID_ARGUMENT").hasMessageContaining("[N,3]");
            assertThatThrownBy(() -> other.infer(Tensor.fp32("x", ROWS)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("'nope'");
            assertThatThrownBy(() -> other.metadata())
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> grpc.invocations(List.of(Map.of("a", 1))))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("REST endpoint");
        }
        for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:http", ":9090", "127.0.0.1:70000")) {
            assertThatThrownBy(() -> PredictionClient.builderForGrpc(bad, "tiny")).as(bad)
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("host:port");
        }
    }

    @Test
    void grpcRetriesUnavailableWithBackoffButNeverACallPastItsDeadline() throws Exception {
        int refused = freePort();
        try (PredictionClient never = PredictionClient.builderForGrpc("127.0.0.1:" + refused, "tiny").retries(3)
                .retryBackoff(Duration.ofMillis(100)).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> never.infer(Tensor.fp32("x", ROWS)))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("after 4 attempts");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("backoff 100 + 200 + 400 ms").isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(never.ready()).isFalse();
            assertThat(never.modelReady()).isFalse();
        }
        // A listener that accepts and never speaks HTTP/2: the call reaches it and times out, and is not sent again.
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            try (PredictionClient slow = PredictionClient.builderForGrpc("127.0.0.1:" + silent.getLocalPort(), "tiny").retries(3)
                    .timeout(Duration.ofMillis(300)).build()) {
                assertThatThrownBy(() -> slow.infer(Tensor.fp32("x", ROWS)))
                        .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                        .hasMessageContaining("No answer").hasMessageContaining("within 300 ms");
                assertThat(accepted.get()).as("one connection, one call, no retry").isEqualTo(1);
            } finally {
                silent.close();
                acceptor.join(5_000);
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static final List<HttpServer> FAKES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A JDK HTTP server on loopback that answers every request with {@code status} and {@code body} after {@code delayMs}. */
    private static void fake(int port, AtomicInteger hits, int status, String body, long delayMs) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        s.start();
        FAKES.add(s);
    }

    private static void stopFakes() {
        FAKES.forEach(s -> s.stop(0));
        FAKES.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static float[] column(int c) {
        float[] out = new float[ROWS.length];
        for (int r = 0; r < ROWS.length; r++) {
            out[r] = ROWS[r][c];
        }
        return out;
    }

    private static float[][] rows(int n) {
        SplittableRandom random = new SplittableRandom(11);
        float[][] rows = new float[n][3];
        for (float[] row : rows) {
            for (int c = 0; c < 3; c++) {
                row[c] = (float) Math.round(random.nextDouble() * 100) / 100f;
            }
        }
        return rows;
    }

    /** A small regressor of y = a + 2b - c on 300 random rows. */
    private static Model tinyModel() {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[300 * 3];
        float[] y = new float[300];
        for (int r = 0; r < 300; r++) {
            for (int c = 0; c < 3; c++) {
                x[r * 3 + c] = (float) random.nextDouble();
            }
            y[r] = x[r * 3] + 2 * x[r * 3 + 1] - x[r * 3 + 2];
        }
        return XgboostTrainer.regression(Map.of("max_depth", 3, "eta", 0.3, "nthread", 1), 20).fit(new FeatureBatch(300, 3, x), y, SIGNATURE, "tiny");
    }
}
