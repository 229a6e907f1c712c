package dev.flywheel.serving;

import dev.flywheel.predictionlog.LoggedRows;
import dev.flywheel.predictionlog.PredictionLogReader;
import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.ServerFlags;
import dev.flywheel.serving.api.SwapCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionLoggingTest {
    private static final String ROW = "{\"inputs\":[{\"name\":\"temp\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,4]},"
            + "{\"name\":\"hum\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[2,5]},"
            + "{\"name\":\"wind\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[3,6]}]}";

    @TempDir
    Path dir;

    private static HttpResponse<String> infer(int port, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/bike/infer"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ROW));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return Fixture.send(b.build());
    }

    private List<LoggedRows> read(Path logs) throws Exception {
        return new PredictionLogReader(logs).read("bike", Instant.EPOCH, Instant.now().plusSeconds(3600)).parts();
    }

    @Test
    void everyAnsweredRequestIsLoggedWithItsIdInputsOutputsVersionAndLatency() throws Exception {
        Path logs = dir.resolve("predictions");
        String madeId;
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.predictionLogDir = logs).start(Fixture.linear(dir, 3))) {
            HttpResponse<String> own = infer(server.port(), "client-id-1");
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.headers().firstValue("X-Request-Id")).hasValue("client-id-1");
            HttpResponse<String> made = Fixture.post(server, "/invocations", "text/csv", "temp,hum,wind\n7,8,9\n");
            assertThat(made.statusCode()).isEqualTo(200);
            madeId = made.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(madeId).matches("[0-9a-f]{32}");
            // a refused request is answered with its id but not logged
            HttpResponse<String> refused = Fixture.postJson(server, "/v2/models/bike/infer", "{\"inputs\":[]}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
            server.swap(Fixture.linear(dir, 4));
            assertThat(infer(server.port(), "after-swap").statusCode()).isEqualTo(200);
            Fixture.await(() -> server.predictionLogStats().writtenRows() == 5, Duration.ofSeconds(10));
            assertThat(server.predictionLogStats().writtenRows()).isEqualTo(5);
            assertThat(Fixture.get(server, "/metrics").body()).contains("flywheel_prediction_log_logged_rows_total 5.0")
                    .contains("flywheel_prediction_log_dropped_requests_total 0.0");
        }
        List<LoggedRows> parts = read(logs);
        assertThat(parts).hasSize(2);
        LoggedRows v3 = parts.stream().filter(p -> p.schema().version() == 3).findFirst().orElseThrow();
        assertThat(v3.schema().inputs()).containsExactly("temp", "hum", "wind");
        assertThat(v3.schema().outputs()).containsExactly("prediction");
        assertThat(v3.requestIds()).containsExactly("client-id-1", "client-id-1", madeId);
        assertThat(v3.inputs()[0]).containsExactly(1f, 4f, 7f);
        assertThat(v3.inputs()[2]).containsExactly(3f, 6f, 9f);
        assertThat(v3.outputs()[0]).containsExactly(Fixture.expected(3, 1, 2, 3), Fixture.expected(3, 4, 5, 6),
                Fixture.expected(3, 7, 8, 9));
        assertThat(java.util.Arrays.stream(v3.latencyMillis()).min().orElseThrow()).isPositive();
        assertThat(java.util.Arrays.stream(v3.latencyMillis()).max().orElseThrow()).isLessThan(10_000);
        LoggedRows v4 = parts.stream().filter(p -> p.schema().version() == 4).findFirst().orElseThrow();
        assertThat(v4.requestIds()).containsExactly("after-swap", "after-swap");
    }

    @Test
    void aMalformedRequestIdIsRefusedWith400NamingTheHeader() {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.predictionLogDir = dir).start(Fixture.linear(dir, 1))) {
            for (String bad : new String[]{"has space", "x".repeat(129), "semi;colon", "é"}) {
                HttpResponse<String> r = infer(server.port(), bad);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(Fixture.error(r)).contains("X-Request-Id must be 1 to 128 characters");
            }
            assertThat(infer(server.port(), "123e4567-e89b-12d3-a456-426614174000").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void loggingOffMeansNoFilesAndNoLogMeters() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            assertThat(infer(server.port(), null).statusCode()).isEqualTo(200);
            assertThat(Fixture.get(server, "/metrics").body()).doesNotContain("flywheel_prediction_log");
            assertThat(server.predictionLogStats().offered()).isZero();
        }
    }

    /**
     * A real server process under steady load is killed with -9: every request answered more than a second before
     * the kill is in the log, no file is unreadable, and the next server seals the journal the dead one left.
     */
    @Test
    void killMinus9LosesAtMostTheLastSecondAndNeverCorruptsAFile() throws Exception {
        ModelVersionSpec spec = Fixture.linear(dir, 2);
        Path sig = dir.resolve("signature.json");
        Files.write(sig, SwapCodec.writeSignature(spec.signature()));
        Path logs = dir.resolve("predictions");
        Path ready = dir.resolve("ready");
        Path serverLog = dir.resolve("server.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "-Xmx128m", ServerFlags.MAIN_CLASS));
        cmd.addAll(ServerFlags.of("bike", 2, "linear", spec.modelFile(), sig).withFiles(null, ready).withPredictionLog(logs, null).toArgs());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        long killedAt;
        try {
            // A child JVM can take over 30 s to start on a machine loaded by parallel builds.
            Fixture.await(() -> Files.exists(ready) || !p.isAlive(), Duration.ofSeconds(120));
            assertThat(ready).as(Files.exists(serverLog) ? Files.readString(serverLog) : "no log").exists();
            int port = Integer.parseInt(Files.readString(ready).strip());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "c" + client + "-" + i;
                        try {
                            if (infer(port, id).statusCode() == 200) {
                                answeredAt.put(id, System.nanoTime());
                            }
                        } catch (RuntimeException e) {
                            return; // the server is gone
                        }
                    }
                });
                clients.add(t);
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            Fixture.await(() -> System.nanoTime() > until, Duration.ofSeconds(10));
            p.destroyForcibly(); // SIGKILL
            killedAt = System.nanoTime();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(answeredAt).as("requests answered before the kill").hasSizeGreaterThan(20);
        Set<String> mustHave = new HashSet<>();
        answeredAt.forEach((id, t) -> {
            if (killedAt - t > TimeUnit.SECONDS.toNanos(1)) {
                mustHave.add(id);
            }
        });
        assertThat(mustHave).isNotEmpty();

        PredictionLogReader.Window journal = new PredictionLogReader(logs).read("bike", Instant.EPOCH, Instant.now().plusSeconds(3600));
        assertThat(journal.problems()).isEmpty();
        assertThat(ids(journal)).containsAll(mustHave);

        // The next server seals the dead one's journal into Parquet; nothing is lost or doubled on the way.
        try (PredictionServer next = PredictionServer.create(cfg -> cfg.predictionLogDir = logs).start(spec)) {
            Fixture.await(() -> files(logs, ".journal").isEmpty(), Duration.ofSeconds(20));
        }
        assertThat(files(logs, ".journal")).isEmpty();
        assertThat(files(logs, ".tmp")).isEmpty();
        PredictionLogReader.Window sealed = new PredictionLogReader(logs).read("bike", Instant.EPOCH, Instant.now().plusSeconds(3600));
        assertThat(sealed.problems()).isEmpty();
        assertThat(sealed.rows()).isEqualTo(journal.rows());
        assertThat(ids(sealed)).containsAll(mustHave);
    }

    private static Set<String> ids(PredictionLogReader.Window w) {
        Map<String, Integer> rows = new HashMap<>();
        for (LoggedRows r : w.parts()) {
            for (String id : r.requestIds()) {
                rows.merge(id, 1, Integer::sum);
            }
        }
        assertThat(rows.values()).as("two rows per request, each once").containsOnly(2);
        return rows.keySet();
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
