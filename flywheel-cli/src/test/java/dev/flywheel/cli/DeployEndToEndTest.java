package dev.flywheel.cli;

import dev.flywheel.testkit.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.registry.Stage;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continuous deployment end to end through the CLI: a pipeline trains a real XGBoost model, the gate deploys it; a
 * better model replaces it under load with no failed request; a worse one is rejected and the old one keeps serving.
 */
@ExtendWith(NoDaemonLeft.class)
class DeployEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ROW = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 12], \"datatype\": \"FP32\", "
            + "\"data\": [1, 0, 1, 0, 0, 6, 0, 1, 0.24, 0.2879, 0.81, 0]}]}";
    @TempDir
    Path dir;


    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @BeforeEach
    void needsTheBikeSharingData() {
        SharedData.requireBikeSharingHours();     // the bike_ct pipeline reads it in a step, where a skip would be a failure
    }

    @AfterEach
    void deleteServices() {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            for (Service s : flywheel.deployments().list(null, null, null, false)) {
                flywheel.deployments().delete(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
    }

    @Test
    void pipelineGatesAndDeploysReplacesUnderLoadWithoutFailuresAndRejectsAWorseModel() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        CliResult first = flywheel("run", "bike_ct", "--param", "train.rounds=8");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        CliResult described = flywheel("runs", "describe", runId(), "--logs");
        assertThat(described.out()).contains("ACCEPTED bike v1").contains("no version is in production").contains("gate.accepted");

        JsonNode services = new ObjectMapper().readTree(flywheel("served-models", "list", "--json").out());
        assertThat(services).hasSize(1);
        String uuid = services.get(0).get("uuid").asText();
        String url = flywheel("served-models", "get-url", uuid.substring(0, 8)).out().strip();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/v2/models/bike/infer");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("1");

        Load load = new Load(url, 3);
        try {
            CliResult better = flywheel("run", "bike_ct", "--param", "train.rounds=60");
            assertThat(better.exit()).as(better.out() + better.err()).isZero();
            load.awaitVersion("2");
        } finally {
            load.stop();
        }
        assertThat(load.failures.get()).as(load.firstFailure.get()).isZero();
        assertThat(load.versions).contains("1", "2");
        assertThat(flywheel("runs", "describe", runId(), "--logs").out()).contains("ACCEPTED bike v2").contains("beats served v1");

        // The rejection is an alert: a real webhook receiver on loopback gets it, and the delivery is recorded.
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            assertThat(flywheel("secret", "create", "hook", "-v", "url=" + hook).exit()).isZero();
            CliResult alerter = flywheel("alerter", "register", "hook", "--flavor", "webhook", "-s", "url={{secret.hook.url}}");
            assertThat(alerter.exit()).as(alerter.err()).isZero();
            assertThat(flywheel("stack", "register", "alerting", "--alerter", "hook", "--set").exit()).isZero();
            CliResult worse = flywheel("run", "bike_ct", "--param", "train.rounds=2");
            assertThat(worse.exit()).as(worse.out() + worse.err()).isZero();
        } finally {
            receiver.stop(0);
        }
        assertThat(flywheel("runs", "describe", runId(), "--logs").out()).contains("REJECTED bike v3").contains("alert: sent");
        assertThat(received).as("the gate posts before its step ends").hasSize(1);
        assertThat(new ObjectMapper().readTree(received.getFirst()).get("text").asText()).contains("Deploy of bike v3 rejected by the gate")
                .contains("kept served v2 of bike").containsPattern("rmse: v3 [0-9.]+ vs served v2 [0-9.]+");
        JsonNode alerts = new ObjectMapper().readTree(flywheel("alerts", "list", "--json").out());
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.get("alerter").asText()).isEqualTo("hook");
            assertThat(a.get("delivered").asBoolean()).isTrue();
            JsonNode details = a.get("details");
            assertThat(details.get("kind").asText()).isEqualTo("deploy_rejected");
            assertThat(details.get("model").asText()).isEqualTo("bike");
            assertThat(details.get("version").asText()).isEqualTo("3");
            assertThat(details.get("baseline").asText()).isEqualTo("served v2");
            assertThat(details.get("metric").asText()).isEqualTo("rmse");
            assertThat(Double.parseDouble(details.get("challenger_value").asText()))
                    .isGreaterThan(Double.parseDouble(details.get("baseline_value").asText()));
            assertThat(details.get("reason").asText()).contains("rmse");
        });
        assertThat(flywheel("alerts", "list").out()).contains("Deploy of bike v3 rejected").contains("hook");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("2");
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            assertThat(flywheel.models().production("bike").orElseThrow().version()).isEqualTo(2);
            assertThat(flywheel.models().get("bike", 3).stage()).isNotEqualTo(Stage.PRODUCTION);
        }

        CliResult list = flywheel("served-models", "list");
        assertThat(list.out().lines().toList()).hasSize(2);
        assertThat(list.out()).contains("active").contains(uuid).contains("bike_ct").contains("deploy_if_better");
        CliResult describe = flywheel("served-models", "describe", uuid.substring(0, 6));
        assertThat(describe.out()).contains("Status:         active").contains("bike version 2").contains("Restarts:       0");
        CliResult logs = flywheel("served-models", "logs", uuid, "--tail", "5");
        assertThat(logs.exit()).isZero();
        assertThat(logs.out().lines().count()).isBetween(1L, 5L);

        CliResult refused = flywheel("models", "deploy", "bike", "--stage", "production");
        assertThat(refused.exit()).as("a second server only when asked").isEqualTo(4);
        CliResult adHoc = flywheel("models", "deploy", "bike", "--stage", "production", "--new");
        assertThat(adHoc.exit()).as(adHoc.err()).isZero();
        assertThat(adHoc.out()).contains("serves bike version 2").contains("Prediction URL: http://127.0.0.1:");
        assertThat(flywheel("served-models", "list", "--pipeline", "bike_ct").out().lines().toList()).hasSize(2);

        CliResult stop = flywheel("served-models", "stop", uuid, "-y");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(flywheel("served-models", "list", "--running").out()).doesNotContain(uuid);
        // The admin token is a secret of the project's store, listed (names and keys only), and goes with its service.
        CliResult secrets = flywheel("secret", "list");
        assertThat(secrets.out()).contains("served-model-" + uuid).contains("admin-token");
        assertThat(dir.resolve(".flywheel/services").resolve(uuid).resolve("admin-token")).doesNotExist();
        CliResult delete = flywheel("served-models", "delete", uuid, "-y");
        assertThat(delete.exit()).isZero();
        assertThat(flywheel("secret", "list").out()).doesNotContain("served-model-" + uuid);
        CliResult gone = flywheel("served-models", "describe", uuid);
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.err()).contains("No service with id").contains("served-models list");
    }

    @Test
    void deployErrorsAreClearWithTheirExitCodes() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult both = flywheel("models", "deploy", "bike", "3", "--stage", "production");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        CliResult unknown = flywheel("models", "deploy", "nope", "1");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).doesNotContain("\tat ");
        CliResult ambiguous = flywheel("served-models", "get-url", "zz");
        assertThat(ambiguous.exit()).isEqualTo(3);
    }

    private String runId() throws IOException {
        return new ObjectMapper().readTree(flywheel("runs", "list", "--json").out()).get(0).get("id").asText();
    }

    static HttpResponse<String> infer(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Client threads posting predictions back to back. */
    static final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>("");
        final Set<String> versions = ConcurrentHashMap.newKeySet();
        final List<Thread> threads = new ArrayList<>();

        Load(String url, int clients) {
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = infer(url);
                            requests.incrementAndGet();
                            if (r.statusCode() == 200) {
                                r.headers().firstValue("X-Model-Version").ifPresent(versions::add);
                            } else {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet("", r.statusCode() + " " + r.body());
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet("", e.toString());
                        }
                    }
                }));
            }
        }

        void awaitVersion(String v) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int before = requests.get();
            while (!(versions.contains(v) && requests.get() > before + 20)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("version " + v + " never answered");
                }
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }
    }
}
