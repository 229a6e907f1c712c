package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import dev.flywheel.testkit.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitoring end to end through the CLI: a pipeline trains and deploys a real model (its version carries the profile
 * of its training table), the deployed server logs what it is asked, and {@code monitor status} and
 * {@code monitor report} find the feature the traffic shifted.
 */
@ExtendWith(NoDaemonLeft.class)
class MonitorCliTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @BeforeEach
    void needsTheBikeSharingData() {
        SharedData.requireBikeSharingHours();
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
    void aDeployedModelsShiftedTrafficShowsAsDriftInStatusReportAndHtml() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        CliResult none = flywheel("monitor", "status");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("No prediction logs yet");
        CliResult run = flywheel("run", "bike_ct", "--param", "train.rounds=8");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        String url = flywheel("served-models", "get-url", JSON.readTree(flywheel("served-models", "list", "--json").out())
                .get(0).get("uuid").asText().substring(0, 8)).out().strip();

        // Live traffic: real hours, with the temperature 0.4 higher than anything seen in training.
        Table hours = Table.readCsv(SharedData.requireBikeSharingHours()).head(1000);
        int requests = 0;
        for (int start = 0; start < hours.rowCount(); start += 50, requests++) {
            Table batch = hours.slice(start, start + 50);
            StringBuilder data = new StringBuilder();
            for (int r = 0; r < batch.rowCount(); r++) {
                for (String f : BikePipelines.FEATURES) {
                    double v = batch.doubles(f)[r] + (f.equals("temp") ? 0.4 : 0);
                    data.append(data.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.4f", v));
                }
            }
            String body = "{\"inputs\": [{\"name\": \"x\", \"shape\": [" + batch.rowCount() + ", 12], \"datatype\": \"FP32\", \"data\": ["
                    + data + "]}]}";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("X-Request-Id", "req-" + requests).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-" + requests);
        }
        Await.until(Duration.ofSeconds(20), "the server's log to hold every row", () -> {
            JsonNode s = JSON.readTree(flywheel("monitor", "status", "bike", "--json").out());
            return s.get(0).get("rows").asLong() == 1000;
        });

        CliResult status = flywheel("monitor", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("bike").contains("1000").containsPattern("\\d+ of 12");

        Path html = dir.resolve("drift.html");
        CliResult report = flywheel("monitor", "report", "bike", "--since", "1h", "--html", html.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).contains("Model bike version 1: 1000 logged rows").containsPattern("(?m)^temp .* yes ");
        assertThat(Files.readString(html)).contains("<svg").contains("<h3>temp</h3>").contains("reference");

        JsonNode json = JSON.readTree(flywheel("monitor", "report", "bike", "--json").out());
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("rows").asLong()).isEqualTo(1000);
        JsonNode temp = null;
        for (JsonNode c : json.get("drift").get("columns")) {
            if (c.get("column").asText().equals("temp")) {
                temp = c;
            }
        }
        assertThat(temp).isNotNull();
        assertThat(temp.get("drifted").asBoolean()).isTrue();
        assertThat(temp.get("method").asText()).isNotBlank();
        assertThat(temp.has("threshold")).isTrue();
        assertThat(json.get("histograms")).hasSize(12);

        // Ground truth for the first request's 50 rows arrives later; live metrics sit beside the registered ones.
        StringBuilder labels = new StringBuilder("request_id,row,label\n");
        for (int r = 0; r < 50; r++) {
            labels.append("req-0,").append(r).append(',').append(hours.doubles("cnt")[r]).append('\n');
        }
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, labels);
        CliResult added = flywheel("monitor", "labels", "bike", "--file", csv.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("Added 50 labels for model bike");
        CliResult performance = flywheel("monitor", "performance", "bike", "--since", "1h", "--window", "1h");
        assertThat(performance.exit()).as(performance.err()).isZero();
        assertThat(performance.out()).contains("RMSE").contains("offline (registered)").containsPattern("(?m)^\\S.* 1 +50 ");
        JsonNode live = JSON.readTree(flywheel("monitor", "performance", "bike", "--since", "1h", "--window", "1h", "--json").out());
        assertThat(live.get("windows").get(0).get("labelledRows").asLong()).isEqualTo(50);
        assertThat(live.get("windows").get(0).get("metrics").get("rmse").asDouble()).isPositive();
        assertThat(live.get("offline").isObject()).as("the version's registered metrics (this pipeline registers none)").isTrue();

        // The second request's labels land in a database table (real SQLite): read once, remembered past the watermark.
        String truth = "jdbc:sqlite:" + dir.resolve("truth.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(truth); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE truth (id INTEGER PRIMARY KEY, request_id TEXT, row_no INTEGER, cnt REAL)");
            for (int r = 0; r < 50; r++) {
                st.execute("INSERT INTO truth (request_id, row_no, cnt) VALUES ('req-1', " + r + ", " + hours.doubles("cnt")[50 + r] + ")");
            }
        }
        CliResult fromTable = flywheel("monitor", "labels", "bike", "--jdbc-url", truth, "--table", "truth", "--row-column", "row_no",
                "--label-column", "cnt", "--watermark-column", "id", "--json");
        assertThat(fromTable.exit()).as(fromTable.err()).isZero();
        JsonNode imported = JSON.readTree(fromTable.out());
        assertThat(imported.get("added").asLong()).isEqualTo(50);
        assertThat(imported.get("watermark").asText()).isEqualTo("50");
        CliResult again = flywheel("monitor", "labels", "bike", "--jdbc-url", truth, "--table", "truth", "--row-column", "row_no",
                "--label-column", "cnt", "--watermark-column", "id");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("Added 0 labels for model bike from " + truth + " table truth (1 rows read, 1 already kept");
        assertThat(JSON.readTree(flywheel("monitor", "performance", "bike", "--since", "1h", "--window", "1h", "--json").out())
                .get("windows").get(0).get("labelledRows").asLong()).isEqualTo(100);
        CliResult column = flywheel("monitor", "labels", "bike", "--jdbc-url", truth, "--table", "truth", "--label-column", "label");
        assertThat(column.exit()).isEqualTo(3);
        assertThat(column.err()).contains("has no column 'label' (--label-column); its columns are [id, request_id, row_no, cnt]");

        driftTriggersRetrainingAndAlertsThroughAWebhook();
    }

    /**
     * The shifted traffic logged above, read by a drift trigger in the scheduler daemon: it fires once, the pipeline
     * retrains with the drift as its launch reason, and the alert reaches a real webhook receiver and is recorded.
     */
    private void driftTriggersRetrainingAndAlertsThroughAWebhook() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(received.size() == 1 ? 503 : 200, -1); // the first try fails: the alerter retries
            exchange.close();
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            CliResult plain = flywheel("alerter", "register", "plain", "--flavor", "webhook", "-s", "url=" + hook);
            assertThat(plain.exit()).as("a URL in plain text is refused").isEqualTo(2);
            assertThat(plain.err()).contains("{{secret.");
            assertThat(flywheel("secret", "create", "hook", "-v", "url=" + hook).exit()).isZero();
            CliResult alerter = flywheel("alerter", "register", "hook", "--flavor", "webhook", "-s", "url={{secret.hook.url}}",
                    "-s", "initialBackoff=10ms");
            assertThat(alerter.exit()).as(alerter.err()).isZero();
            assertThat(flywheel("stack", "register", "alerting", "--alerter", "hook", "--set").exit()).isZero();
            assertThat(flywheel("alerts", "list").out()).contains("No alerts yet");

            CliResult created = flywheel("triggers", "create", "drift", "bike_ct", "--model", "bike", "--window", "1h", "--share", "0.05",
                    "--check-every", "1s", "--param", "train.rounds=4", "--json");
            assertThat(created.exit()).as(created.err()).isZero();
            String id = JSON.readTree(created.out()).get("id").asText();
            assertThat(flywheel("triggers", "describe", id).out()).contains("bike: 5%+ of columns drift over 1h");
            CliResult start = flywheel("scheduler", "start", "--poll-interval", "200ms", "--webhook-port", "-1");
            assertThat(start.exit()).as(start.err()).isZero();
            try {
                Await.until(Duration.ofMinutes(5), "the drift trigger's run to finish", () -> {
                    JsonNode fires = JSON.readTree(flywheel("triggers", "describe", id, "--json").out()).get("lastFires");
                    return fires.size() == 1 && fires.get(0).get("state").asText().matches("SUCCEEDED|FAILED");
                });
            } finally {
                flywheel("scheduler", "stop");
            }
            JsonNode fire = JSON.readTree(flywheel("triggers", "describe", id, "--json").out()).get("lastFires").get(0);
            assertThat(fire.get("state").asText()).as(fire.toString()).isEqualTo("SUCCEEDED");
            assertThat(fire.get("trigger").asText()).startsWith("drift:bike v1 ");
            CliResult described = flywheel("runs", "describe", fire.get("runId").asText());
            assertThat(described.out()).contains("drift");
            assertThat(JSON.readTree(flywheel("models", "versions", "bike", "--json").out())).as("the retrained version").hasSize(2);

            // the drift alert is the first at the receiver (the fire is alerted before its run starts), refused once, retried
            Await.until(Duration.ofSeconds(30), "the alert at the receiver", () -> received.size() >= 2);
            assertThat(JSON.readTree(received.get(1)).get("text").asText()).contains("Model bike v1: live data drifted").contains("temp");
            List<JsonNode> alerts = new ArrayList<>();
            JSON.readTree(flywheel("alerts", "list", "--json").out()).forEach(alerts::add);
            assertThat(alerts).filteredOn(a -> a.get("details").has("trigger")).singleElement().satisfies(a -> {
                assertThat(a.get("alerter").asText()).isEqualTo("hook");
                assertThat(a.get("delivered").asBoolean()).isTrue();
                assertThat(a.get("detail").asText()).contains("attempt 2 of").doesNotContain("/hook");
                assertThat(a.get("details").get("trigger").asText()).isEqualTo(id);
            });
            // the retrained version (4 rounds against 8) may lose to what serves: then the gate's rejection is the other alert
            assertThat(alerts).allSatisfy(a -> assertThat(a.get("details").has("trigger") || "deploy_rejected".equals(a.get("details")
                    .path("kind").asText())).as(a.toString()).isTrue());
            assertThat(flywheel("alerts", "list").out()).contains("live data drifted").contains("hook").contains("yes");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void badModelsWindowsAndHtmlPathsAreClearErrors() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult unknown = flywheel("monitor", "report", "nope");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("nope");
        CliResult since = flywheel("monitor", "report", "nope", "--since", "soon");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err()).contains("--since 'soon' is not a duration");
        CliResult status = flywheel("monitor", "status", "nope");
        assertThat(status.exit()).isEqualTo(3);
        CliResult labels = flywheel("monitor", "labels", "nope", "--file", dir.resolve("none.csv").toString());
        assertThat(labels.exit()).isEqualTo(3);
        CliResult table = flywheel("monitor", "labels", "nope", "--jdbc-url", "jdbc:sqlite:" + dir.resolve("none.db"), "--table", "t");
        assertThat(table.exit()).isEqualTo(3);
        assertThat(table.err()).contains("nope");
        CliResult both = flywheel("monitor", "labels", "nope", "--file", "x.csv", "--jdbc-url", "jdbc:sqlite:x.db", "--table", "t");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("either as --file labels.csv or as --jdbc-url URL --table TABLE");
        CliResult plain = flywheel("monitor", "labels", "nope", "--jdbc-url", "jdbc:sqlite:x.db", "--table", "t", "--password", "hunter2");
        assertThat(plain.exit()).isEqualTo(2);
        assertThat(plain.err()).contains("--password-env VAR").doesNotContain("hunter2");
        CliResult window = flywheel("monitor", "performance", "nope", "--window", "2d", "--since", "1d");
        assertThat(window.exit()).isEqualTo(2);
        assertThat(window.err()).contains("--window must be a positive duration no longer than --since");
        CliResult missing = flywheel("monitor", "report");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("MODEL");
    }
}
