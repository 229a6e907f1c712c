package dev.flywheel.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.registry.Stage;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.sdk.Schedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every REST endpoint against a real server on a project filled by real pipeline runs: answers, paging, 400/401/403/404. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    ServerFixture f;
    String writeToken;
    String readToken;

    @BeforeAll
    void start(@TempDir Path dir) {
        f = new ServerFixture(dir);
        writeToken = "Bearer " + f.tokens().create("ci", ServerTokens.Scope.WRITE).secret();
        readToken = "Bearer " + f.tokens().create("viewer", ServerTokens.Scope.READ).secret();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    void healthAnswersWithoutToken() {
        ServerFixture.Response r = f.get("/api/v1/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void runsListPagesThroughEveryRunWithCursorsWithoutRepeats() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ServerFixture.Response r = f.get("/api/v1/runs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().get("items").forEach(i -> seen.add(i.get("id").asText()));
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(3).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(f.runs.stream().map(r -> r.runId()).toList());
        assertThat(pages).isEqualTo(2);
        assertThat(seen.getFirst()).as("newest first").isEqualTo(f.runs.getLast().runId());
    }

    @Test
    void runsListFiltersByPipelineStatusTriggerAndTime() {
        assertThat(f.get("/api/v1/runs?pipeline=tiny").json().get("items")).hasSize(3);
        assertThat(f.get("/api/v1/runs?pipeline=other").json().get("items")).isEmpty();
        assertThat(f.get("/api/v1/runs?status=succeeded").json().get("items")).hasSize(3);
        assertThat(f.get("/api/v1/runs?status=FAILED").json().get("items")).isEmpty();
        assertThat(f.get("/api/v1/runs?trigger=manual").json().get("items")).hasSize(3);
        assertThat(f.get("/api/v1/runs?trigger=schedule:").json().get("items")).isEmpty();
        assertThat(f.get("/api/v1/runs?since=2100-01-01T00:00:00Z").json().get("items")).isEmpty();
        assertThat(f.get("/api/v1/runs?until=2100-01-01T00:00:00Z").json().get("items")).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/v1/runs?limit=0, limit",
            "/api/v1/runs?limit=1001, limit",
            "/api/v1/runs?limit=ten, limit",
            "/api/v1/runs?status=exploded, status",
            "/api/v1/runs?since=yesterday, since",
            "/api/v1/runs?cursor=%%%, cursor",
            "/api/v1/runs?cursor=bm90LWEtY3Vyc29y, cursor",
            "/api/v1/artifacts?limit=-1, limit",
            "/api/v1/models/tiny/versions/not a version, version",
            "/api/v1/models/tiny/compare?a=1, b",
            "/api/v1/models/tiny/compare?a=x y&b=1, a",
            "/api/v1/served-models?running=maybe, running",
            "/api/v1/schedules/none?fires=0, fires",
            "/api/v1/monitoring/tiny/drift?since=soon, since",
            "/api/v1/monitoring/tiny/drift?since=0s, since",
            "/api/v1/monitoring/tiny/drift?since=-5m, since",
            "/api/v1/alerts?limit=0, limit",
            "/api/v1/alerts?limit=many, limit",
            "/api/v1/events, topics",
            "'/api/v1/events?topics=runs,bogus', topics",
            "/api/v1/events?topics=run:../../etc, topics",
    })
    void badInputIs400NamingTheField(String path, String field) {
        ServerFixture.Response r = f.get(path.replace(" ", "%20").replace("%%%", "%25%25"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error_code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("message").asText()).contains(field.equals("version") || field.equals("a") ? "version" : field);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/v1/runs/zzzz",
            "/api/v1/runs/zzzz/steps",
            "/api/v1/runs/zzzz/artifacts",
            "/api/v1/artifacts/zzzz",
            "/api/v1/artifacts/zzzz/preview",
            "/api/v1/artifacts/zzzz/content",
            "/api/v1/pipelines/nope",
            "/api/v1/models/nope",
            "/api/v1/models/nope/versions",
            "/api/v1/models/tiny/versions/99",
            "/api/v1/models/tiny/versions/@nobody",
            "/api/v1/models/nope/history",
            "/api/v1/models/nope/metrics",
            "/api/v1/served-models/zzzz",
            "/api/v1/schedules/zzzz",
            "/api/v1/triggers/zzzz",
            "/api/v1/rollouts/zzzz",
            "/api/v1/served-models/zzzz/traffic",
            "/api/v1/monitoring/nope/drift",
            "/api/v1/monitoring?model=nope",
            "/api/v1/no-such-endpoint",
    })
    void unknownThingsAre404WithTheErrorShape(String path) {
        ServerFixture.Response r = f.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.json().get("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(r.json().get("message").asText()).isNotBlank();
    }

    @Test
    void runDetailHasStepsGraphLogsAndArtifacts() {
        String id = f.runs.getFirst().runId();
        JsonNode run = f.get("/api/v1/runs/" + id.substring(0, 8)).json();
        assertThat(run.get("run").get("id").asText()).isEqualTo(id);
        assertThat(run.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("load", "train");
        assertThat(run.get("edges")).hasSize(1);
        assertThat(run.get("edges").get(0).get("from").asText()).isEqualTo("load");
        assertThat(run.get("edges").get(0).get("to").asText()).isEqualTo("train");
        assertThat(run.get("steps").get(0).has("logs")).as("logs are not inlined").isFalse();
        assertThat(f.get("/api/v1/runs/" + id + "/steps").json()).hasSize(2);

        ServerFixture.Response log = f.get("/api/v1/runs/" + id + "/steps/train/logs");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.header("Content-Type")).startsWith("text/plain");
        assertThat(log.body()).contains("trained on 100 rows");
        assertThat(f.get("/api/v1/runs/" + id + "/steps/nope/logs").status()).isEqualTo(404);

        JsonNode artifacts = f.get("/api/v1/runs/" + id + "/artifacts").json();
        assertThat(artifacts).extracting(a -> a.get("stepName").asText() + "." + a.get("outputName").asText())
                .contains("load.data", "train.model");
    }

    @Test
    void artifactsDescribePreviewAndDownloadCheckedBytes() throws Exception {
        String id = f.runs.getFirst().artifactId("load", "data");
        JsonNode d = f.get("/api/v1/artifacts/" + id).json();
        assertThat(d.get("artifact").get("id").asText()).isEqualTo(id);
        assertThat(d.get("bytesPresent").asBoolean()).isTrue();

        JsonNode p = f.get("/api/v1/artifacts/" + id + "/preview?rows=5").json();
        assertThat(p.get("kind").asText()).isEqualTo("table");
        assertThat(p.get("columns")).extracting(JsonNode::asText).containsExactly("x1", "x2", "y");
        assertThat(p.get("totalRows").asInt()).isEqualTo(100);
        assertThat(p.get("rows")).hasSize(5);

        ServerFixture.Response content = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/api/v1/artifacts/" + id + "/content")).GET());
        assertThat(content.status()).isEqualTo(200);
        String sha = d.get("artifact").get("sha256").asText();
        assertThat(content.header("X-Content-SHA256")).isEqualTo(sha);

        assertThat(f.get("/api/v1/artifacts?run=" + f.runs.getFirst().runId()).json()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(f.get("/api/v1/artifacts?limit=1").json()).hasSize(1);
        byte[] bytes = f.http.send(java.net.http.HttpRequest.newBuilder(f.uri("/api/v1/artifacts/" + id + "/content")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(sha);
    }

    @Test
    void pipelinesAreListedAndDescribed() {
        assertThat(f.get("/api/v1/pipelines").json()).extracting(p -> p.get("name").asText()).containsExactly("tiny");
        assertThat(f.get("/api/v1/pipelines/tiny").json().get("name").asText()).isEqualTo("tiny");
    }

    @Test
    void modelsVersionsMetricsCompareAndLineage() {
        assertThat(f.get("/api/v1/models").json()).extracting(m -> m.get("name").asText()).containsExactly("tiny");
        assertThat(f.get("/api/v1/models/tiny").json().get("versionCount").asInt()).isEqualTo(3);
        assertThat(f.get("/api/v1/models/tiny/versions").json()).extracting(v -> v.get("version").asInt()).containsExactly(1, 2, 3);
        assertThat(f.get("/api/v1/models/tiny/versions/2").json().get("metrics").get("rows").asDouble()).isEqualTo(200);
        JsonNode series = f.get("/api/v1/models/tiny/metrics").json();
        assertThat(series).extracting(s -> s.get("metric").asText()).containsExactly("rmse", "rows");
        assertThat(series.get(1).get("points")).extracting(p -> p.get("version").asInt() + "=" + p.get("value").asInt())
                .containsExactly("1=100", "2=200", "3=300");
        JsonNode cmp = f.get("/api/v1/models/tiny/compare?a=3&b=1").json();
        assertThat(cmp.get("metrics")).extracting(m -> m.get("name").asText()).contains("rmse", "rows");
        JsonNode lineage = f.get("/api/v1/models/tiny/versions/1/lineage").json();
        assertThat(lineage.get("run").get("id").asText()).isEqualTo(f.runs.getFirst().runId());
        assertThat(lineage.get("lineage").get("data").get(0).get("name").asText()).isEqualTo("load.data");
        assertThat(lineage.get("services")).isEmpty();
        assertThat(f.get("/api/v1/models/tiny/history").json()).isNotNull();
    }

    @Test
    void changesNeedAWriteTokenAndAreAudited() throws Exception {
        String promote = "/api/v1/models/tiny/versions/2/promote";
        ServerFixture.Response none = f.post(promote, "{\"stage\":\"production\"}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(f.post(promote, "{\"stage\":\"production\"}", "Authorization", "Bearer fwt_forged").status()).isEqualTo(401);
        assertThat(f.post(promote, "{\"stage\":\"production\"}", "Cookie", "token=" + writeToken.substring(7)).status())
                .as("a cookie is never a credential").isEqualTo(401);
        ServerFixture.Response read = f.post(promote, "{\"stage\":\"production\"}", "Authorization", readToken);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(f.flywheel.models().get("tiny", 2).stage()).isEqualTo(Stage.NONE);

        ServerFixture.Response ok = f.post(promote, "{\"stage\":\"production\"}", "Authorization", writeToken);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("version").get("stage").asText()).isEqualTo("PRODUCTION");
        assertThat(f.flywheel.models().get("tiny", 2).stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(f.flywheel.models().history("tiny").getLast().actor()).isEqualTo("token:ci");

        assertThat(f.post("/api/v1/models/tiny/versions/3/promote", "{\"stage\":\"production\"}", "Authorization", writeToken).status())
                .isEqualTo(200);
        ServerFixture.Response back = f.post("/api/v1/models/tiny/rollback", "{}", "Authorization", writeToken);
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(f.flywheel.models().production("tiny").orElseThrow().version()).isEqualTo(2);

        ServerFixture.Response alias = f.post("/api/v1/models/tiny/versions/1/alias", "{\"alias\":\"@champion\"}", "Authorization", writeToken);
        assertThat(alias.status()).as(alias.body()).isEqualTo(200);
        assertThat(f.get("/api/v1/models/tiny/versions/@champion").json().get("version").asInt()).isEqualTo(1);
        assertThat(f.delete("/api/v1/models/tiny/aliases/champion", "Authorization", writeToken).status()).isEqualTo(200);
        assertThat(f.get("/api/v1/models/tiny/versions/@champion").status()).isEqualTo(404);

        // Revoked at once, also for this already running server.
        String temp = "Bearer " + f.tokens().create("temp", ServerTokens.Scope.WRITE).secret();
        f.tokens().revoke("temp");
        assertThat(f.post("/api/v1/models/tiny/rollback", "{}", "Authorization", temp).status()).isEqualTo(401);

        List<String> audit = Files.readAllLines(FlywheelServer.auditFile(f.flywheel));
        assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"token\":\"ci\"", "\"method\":\"POST\"", promote, "\"status\":200"));
        assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"token\":null", "\"status\":401"));
        assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"token\":\"viewer\"", "\"status\":403"));
        assertThat(String.join("\n", audit)).doesNotContain(writeToken.substring(7)).doesNotContain(readToken.substring(7));
        assertThat(java.nio.file.Files.getPosixFilePermissions(FlywheelServer.auditFile(f.flywheel)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"stage\":\"heaven\"} | stage",
            "{} | stage",
            "{\"stage\":3} | stage",
            "{\"stage\":\"production\",\"force\":true} | force",
            "{\"stage\":\"production\",\"rollOut\":\"yes\"} | rollOut",
            "[1,2] | body",
            "{not json | body",
    })
    void badPromoteBodiesAre400NamingTheField(String body, String field) {
        ServerFixture.Response r = f.post("/api/v1/models/tiny/versions/1/promote", body, "Authorization", writeToken);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    @Test
    void changesOfUnknownThingsAre404AndBadPathVersionIs400() {
        assertThat(f.post("/api/v1/models/nope/versions/1/promote", "{\"stage\":\"staging\"}", "Authorization", writeToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/models/tiny/versions/77/promote", "{\"stage\":\"staging\"}", "Authorization", writeToken).status()).isEqualTo(404);
        ServerFixture.Response bad = f.post("/api/v1/models/tiny/versions/first/promote", "{\"stage\":\"staging\"}", "Authorization", writeToken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("version");
        assertThat(f.post("/api/v1/served-models/zzzz/start", null, "Authorization", writeToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/served-models/zzzz/stop", null, "Authorization", writeToken).status()).isEqualTo(404);
        assertThat(f.delete("/api/v1/served-models/zzzz", "Authorization", writeToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/schedules/zzzz/pause", null, "Authorization", writeToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/triggers/zzzz/resume", null, "Authorization", writeToken).status()).isEqualTo(404);
        for (String action : List.of("promote", "abort", "pause", "resume")) {
            ServerFixture.Response r = f.post("/api/v1/rollouts/zzzz/" + action, null, "Authorization", writeToken);
            assertThat(r.status()).as(action + ": " + r.body()).isEqualTo(404);
            assertThat(r.json().get("message").asText()).contains("zzzz");
        }
        assertThat(f.delete("/api/v1/models/tiny/aliases/nobody", "Authorization", writeToken).status()).isIn(404);
    }

    @Test
    void everyChangeEndpointRefusesWithoutToken() {
        for (String path : List.of("/api/v1/served-models/x/start", "/api/v1/served-models/x/stop", "/api/v1/schedules/x/pause",
                "/api/v1/schedules/x/resume", "/api/v1/triggers/x/pause", "/api/v1/triggers/x/resume", "/api/v1/models/tiny/rollback",
                "/api/v1/models/tiny/versions/1/alias", "/api/v1/rollouts/x/promote", "/api/v1/rollouts/x/abort", "/api/v1/rollouts/x/pause",
                "/api/v1/rollouts/x/resume")) {
            assertThat(f.post(path, "{}").status()).as(path).isEqualTo(401);
            assertThat(f.post(path, "{}", "Authorization", readToken).status()).as(path).isEqualTo(403);
        }
        assertThat(f.delete("/api/v1/served-models/x").status()).isEqualTo(401);
        assertThat(f.delete("/api/v1/models/tiny/aliases/a").status()).isEqualTo(401);
    }

    @Test
    void schedulesAndTriggersListDescribePauseResume() {
        var created = f.flywheel.schedules().create("tiny", Schedule.every(Duration.ofHours(6)), LaunchSpec.of(null));
        JsonNode list = f.get("/api/v1/schedules").json();
        assertThat(list).extracting(s -> s.get("id").asText()).contains(created.id());
        assertThat(list.get(0).get("nextFire").isNull()).isFalse();
        ServerFixture.Response paused = f.post("/api/v1/schedules/" + created.id() + "/pause", null, "Authorization", writeToken);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        assertThat(f.flywheel.schedules().describe(created.id(), 0).schedule().paused()).isTrue();
        assertThat(f.post("/api/v1/schedules/" + created.id() + "/resume", null, "Authorization", writeToken).json().get("paused").asBoolean())
                .isFalse();
        assertThat(f.get("/api/v1/schedules/" + created.id()).json().get("pipeline").asText()).isEqualTo("tiny");

        var trigger = f.flywheel.schedules().createTrigger("tiny", new dev.flywheel.schedule.TriggerSpec.Webhook("0123456789abcdef0123"),
                LaunchSpec.of(null), 1);
        JsonNode triggers = f.get("/api/v1/triggers").json();
        assertThat(triggers).extracting(t -> t.get("id").asText()).contains(trigger.id());
        assertThat(f.get("/api/v1/triggers").body()).as("webhook secrets never leave the server").doesNotContain("0123456789abcdef0123");
        assertThat(f.post("/api/v1/triggers/" + trigger.id() + "/pause", null, "Authorization", writeToken).json().get("paused").asBoolean()).isTrue();
        assertThat(f.flywheel.schedules().trigger(trigger.id()).paused()).isTrue();
        assertThat(f.post("/api/v1/triggers/" + trigger.id() + "/resume", null, "Authorization", writeToken).json().get("paused").asBoolean()).isFalse();
        assertThat(f.get("/api/v1/triggers/" + trigger.id()).json().get("kind").asText()).isEqualTo("webhook");
    }

    @Test
    void servedModelsListIsEmptyWithoutDeployments() {
        ServerFixture.Response r = f.get("/api/v1/served-models");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).isEmpty();
    }

    @Test
    void rolloutsMonitoringAndAlertsAnswerEmptyOrSayWhatIsMissing() {
        assertThat(f.get("/api/v1/rollouts").json()).isEmpty();
        assertThat(f.get("/api/v1/alerts").json()).isEmpty();
        ServerFixture.Response status = f.get("/api/v1/monitoring?model=tiny");
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.json()).singleElement().satisfies(m -> {
            assertThat(m.get("model").asText()).isEqualTo("tiny");
            assertThat(m.get("rows").asLong()).isZero();
            assertThat(m.get("problem").asText()).contains("no predictions logged");
        });
        ServerFixture.Response drift = f.get("/api/v1/monitoring/tiny/drift?since=7d");
        assertThat(drift.status()).as(drift.body()).isEqualTo(404);
        assertThat(drift.json().get("message").asText()).contains("No predictions of model 'tiny' were logged").contains("--since");
    }

    @Test
    void securityHeadersOnEveryAnswerAndNoCors() {
        for (String path : List.of("/api/v1/runs", "/api/v1/nope", "/api/v1/health")) {
            ServerFixture.Response r = f.get(path, "Origin", "https://evil.example");
            assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "default-src 'self'");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        }
        ServerFixture.Response preflight = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/api/v1/models/tiny/rollback"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()), "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"stage\":\"" + "x".repeat((int) ServerSettings.DEFAULT_MAX_BODY_BYTES) + "\"}";
        ServerFixture.Response r = f.post("/api/v1/models/tiny/versions/1/promote", big, "Authorization", writeToken);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error_code").asText()).isEqualTo("TOO_LARGE");
    }

    @Test
    void openApiDocumentListsEveryEndpointAndSwaggerUiLoads() {
        JsonNode doc = f.get("/api/v1/openapi.json").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> paths = new HashSet<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/v1/runs", "/api/v1/runs/{id}", "/api/v1/runs/{id}/steps/{step}/logs",
                "/api/v1/models/{name}/versions/{version}/promote", "/api/v1/served-models/{id}/start", "/api/v1/triggers/{id}/pause",
                "/api/v1/rollouts", "/api/v1/rollouts/{id}/promote", "/api/v1/monitoring/{model}/drift", "/api/v1/alerts", "/api/v1/events");
        assertThat(doc.get("paths").get("/api/v1/rollouts/{id}/abort").get("post").has("security")).isTrue();
        assertThat(doc.get("paths").get("/api/v1/models/{name}/versions/{version}/promote").get("post").has("security")).isTrue();
        ServerFixture.Response ui = f.get("/api/docs");
        assertThat(ui.status()).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"([^\"]+)\"").matcher(ui.body());
        while (m.find()) {
            assertThat(f.get(m.group(1)).status()).as(m.group(1)).isEqualTo(200);
        }
    }
}
