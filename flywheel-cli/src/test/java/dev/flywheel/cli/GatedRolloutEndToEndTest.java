package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import dev.flywheel.testkit.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollouts that start from a pipeline's gate and end on their own, with real pipeline runs, real supervisor and server
 * processes under continuous load, and a real webhook receiver on loopback: the gate's canary is promoted by the
 * supervisor's analyses and the run records its id; a challenger failing 5 % of its requests is rolled back at its
 * first analysis, the alerter is told with the numbers and the version is tagged; a service deleted mid-rollout ends its
 * rollout; and on a PostgreSQL project the supervisor drives the rollout in PostgreSQL.
 */
@ExtendWith(NoDaemonLeft.class)
class GatedRolloutEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofSeconds(90);
    /** The shortest analysis interval a rollout takes (the floor), so each test waits as little as a user could. */
    private static final String CANARY = "deploy_if_better.strategy={\"kind\": \"canary\", \"steps\": [50, 100], \"stepSeconds\": 0, "
            + "\"analysisIntervalSeconds\": 10}";
    @TempDir
    Path dir;
    Path home;

    CliResult flywheel(String... args) {
        return CliResult.inProject(home, args);
    }

    CliResult ok(String... args) {
        CliResult r = flywheel(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    @BeforeEach
    void needsData() {
        LiveProject.assumeBikeData();
        home = dir.resolve(".flywheel");
    }

    @AfterEach
    void deleteServices() {
        LiveProject.deleteServices(home);
    }

    @Test
    void theGatesCanaryIsPromotedByLiveAnalysisAndAFailingChallengerIsRolledBackTellingTheAlerter() throws Exception {
        ok("init");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            ok("secret", "create", "hook", "-v", "url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            ok("alerter", "register", "hook", "--flavor", "webhook", "-s", "url={{secret.hook.url}}", "-s", "initialBackoff=10ms");
            ok("stack", "register", "alerting", "--alerter", "hook", "--set");

            ok("run", "bike_ct", "--param", "train.rounds=8", "--param", CANARY);
            String firstRun = runId();
            assertThat(ok("runs", "describe", firstRun, "--logs").out()).as("nothing served: a canary has no champion")
                    .contains("nothing serves 'bike' to run a canary beside, so the version replaced it at once");
            JsonNode service = JSON.readTree(ok("served-models", "list", "--json").out()).get(0);
            String uuid = service.get("uuid").asText();
            String url = service.get("predictionUrl").asText();

            DeployEndToEndTest.Load load = new DeployEndToEndTest.Load(url, 3);
            JsonNode promoted;
            String rollout;
            try {
                ok("run", "bike_ct", "--param", "train.rounds=60", "--param", CANARY);
                String run = runId();
                JsonNode listed = JSON.readTree(ok("rollouts", "list", "--json").out());
                assertThat(listed).hasSize(1);
                rollout = listed.get(0).get("id").asText();
                assertThat(ok("runs", "describe", run, "--json").out()).as("the run records the rollout").contains("gate.rollout_id")
                        .contains(rollout);
                assertThat(ok("runs", "describe", run, "--logs").out()).contains("ACCEPTED bike v2")
                        .contains("canary rollout " + rollout.substring(0, 8) + " started; production moves when it is promoted")
                        .contains("flywheel rollouts status " + rollout.substring(0, 8));
                assertThat(JSON.readTree(ok("models", "describe", "bike", "1", "--json").out()).get("stage").asText())
                        .as("production stays until the rollout promotes").isEqualTo("PRODUCTION");
                promoted = awaitEnd(rollout);
                load.awaitVersion("2");
            } finally {
                load.stop();
            }
            assertThat(promoted.get("state").asText()).as(promoted.toString()).isEqualTo("promoted");
            assertThat(promoted.get("service").asText()).isEqualTo(uuid);
            assertThat(promoted.get("decisions").findValuesAsText("action")).containsSubsequence("start canary 50%", "next step 100%", "promote");
            assertThat(load.failures.get()).as(load.firstFailure.get()).isZero();
            awaitProduction(2);
            assertThat(received).as("a promotion is not an alert").isEmpty();

            // A challenger failing every 20th prediction (5 %) on live traffic: rolled back at its first analysis.
            Path flaky = Files.writeString(dir.resolve("flaky.txt"), "value=42 fail-every=20\n");
            ok("models", "import", "bike", "--format", "flaky=" + flaky, "--features", String.join(",", BikePipelines.FEATURES));   // v3
            DeployEndToEndTest.Load second = new DeployEndToEndTest.Load(url, 3);
            JsonNode failed;
            try {
                second.awaitVersion("2");
                JsonNode started = JSON.readTree(ok("models", "deploy", "bike", "3", "--canary", "50,100", "--step-duration", "1s",
                        "--analysis-interval", "10s", "--json").out());
                failed = awaitEnd(started.get("id").asText());
                // the decision is stored first, then applied in the same pass of the supervisor
                Await.until(Duration.ofSeconds(5), "all traffic back on the champion", () -> {
                    for (int i = 0; i < 20; i++) {
                        if (!DeployEndToEndTest.infer(url).headers().firstValue("X-Model-Version").orElse("").equals("2")) {
                            return false;
                        }
                    }
                    return true;
                });
            } finally {
                second.stop();
            }
            assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.get("reason").asText()).contains("analysis failed at 50%").contains("error_rate");
            assertThat(second.failures.get()).as("only the challenger's own failed answers reach clients").isPositive()
                    .isLessThan(second.requests.get() / 10);

            Await.until(Duration.ofSeconds(30), "the rollback alert at the receiver", () -> !received.isEmpty());
            JsonNode alert = JSON.readTree(received.getFirst());
            assertThat(alert.get("title").asText()).contains("rolled back").contains("'bike'").contains("version 2 serves alone")
                    .contains("version 3 failed");
            assertThat(alert.get("text").asText()).contains("error_rate").contains("max 0.01").contains("tagged rollout");
            JsonNode details = alert.get("details");
            assertThat(details.get("model").asText()).isEqualTo("bike");
            assertThat(details.get("champion_version").asText()).isEqualTo("2");
            assertThat(details.get("challenger_version").asText()).isEqualTo("3");
            assertThat(details.get("failed_check").asText()).isEqualTo("error_rate");
            assertThat(Double.parseDouble(details.get("error_rate.value").asText())).isBetween(0.01, 0.2);
            assertThat(Long.parseLong(details.get("error_rate.samples").asText())).isGreaterThanOrEqualTo(50);
            // the supervisor records the delivery once the receiver has answered: the receiver may see it first
            Await.until(Duration.ofSeconds(30), "the rollback alert's delivery recorded",
                    () -> JSON.readTree(ok("alerts", "list", "--json").out()).size() == 1);
            JsonNode recorded = JSON.readTree(ok("alerts", "list", "--json").out());
            assertThat(recorded).singleElement().satisfies(a -> {
                assertThat(a.get("alerter").asText()).isEqualTo("hook");
                assertThat(a.get("delivered").asBoolean()).isTrue();
            });
            assertThat(ok("models", "describe", "bike", "3").out()).as("the version is marked with the reason")
                    .contains("rollout=failed by rollout").contains("error_rate");

            // A service deleted mid-rollout ends its rollout as aborted, saying why.
            String shadow = JSON.readTree(ok("models", "deploy", "bike", "1", "--shadow", "--duration", "10m", "--json").out()).get("id").asText();
            ok("served-models", "delete", uuid, "-y");
            JsonNode aborted = JSON.readTree(ok("rollouts", "status", shadow, "--json").out());
            assertThat(aborted.get("state").asText()).isEqualTo("aborted");
            assertThat(aborted.get("reason").asText()).contains("was deleted during the rollout");
            assertThat(received).as("an abort is not an alert").hasSize(1);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void onAPostgresProjectTheSupervisorDrivesTheRolloutInPostgres() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase("rollouts");
        ok(SharedProjectEndToEndTest.initArgs(db));
        ok("run", "bike_ct", "--param", "train.rounds=8");
        JsonNode service = JSON.readTree(ok("served-models", "list", "--json").out()).get(0);
        assertThat(Files.exists(home.resolve("flywheel.db"))).as("no SQLite file beside a PostgreSQL project").isFalse();
        DeployEndToEndTest.Load load = new DeployEndToEndTest.Load(service.get("predictionUrl").asText(), 2);
        JsonNode done;
        try {
            ok("run", "bike_ct", "--param", "train.rounds=60", "--param", CANARY);
            String rollout = JSON.readTree(ok("rollouts", "list", "--json").out()).get(0).get("id").asText();
            done = awaitEnd(rollout);
        } finally {
            load.stop();
        }
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("promoted");
        assertThat(load.failures.get()).as(load.firstFailure.get()).isZero();
        awaitProduction(2);
    }

    /** Polls the rollout until it has ended (promoted, aborted or failed): the supervisor decides, not this process. */
    private JsonNode awaitEnd(String id) {
        JsonNode[] last = new JsonNode[1];
        Await.until(ROLLOUT_TIMEOUT, "rollout " + id + " to end", () -> {
            last[0] = JSON.readTree(ok("rollouts", "status", id, "--json").out());
            return last[0].get("state").asText().matches("promoted|aborted|failed");
        });
        return last[0];
    }

    /** The registry follows a promotion right after the decision is stored (the supervisor's same pass). */
    private void awaitProduction(int version) {
        Await.until(Duration.ofSeconds(10), "version " + version + " in production", () -> JSON.readTree(ok("models", "describe", "bike",
                String.valueOf(version), "--json").out()).get("stage").asText().equals("PRODUCTION"));
    }

    private String runId() throws Exception {
        return JSON.readTree(ok("runs", "list", "--json").out()).get(0).get("id").asText();
    }
}
