package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.WebhookSecrets;
import dev.flywheel.schedule.trigger.DeliveryLog;
import dev.flywheel.schedule.trigger.WebhookVerifier;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.secret.local.LocalSecretsStore;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's webhook endpoint over real HTTP on 127.0.0.1, with its loop thread running. */
@EveryMetadataStore
class WebhookEndpointTest {
    @Parameter
    TestDatabase database;

    private static final String SECRET = "0123456789abcdef-test-secret";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(int port, String trigger, String body, String signature, String delivery, Long timestamp) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/" + trigger))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header(WebhookVerifier.SIGNATURE_HEADER, signature);
        }
        if (delivery != null) {
            b.header(WebhookVerifier.DELIVERY_HEADER, delivery);
        }
        if (timestamp != null) {
            b.header(WebhookVerifier.TIMESTAMP_HEADER, Long.toString(timestamp));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSigningSecretLivesInTheSecretsStoreTheRowKeepsAReferenceAndDeletingTheTriggerDeletesIt() throws Exception {
        try (MetadataStore store = database.open(dir)) {
            LocalSecretsStore vault = new LocalSecretsStore(store, dir.resolve("secret.key"), Clock.systemUTC());
            WebhookSecrets secrets = new WebhookSecrets(() -> vault);
            Schedules schedules = new Schedules(store, Clock.systemUTC(), dev.flywheel.schedule.PipelineCheck.NONE, secrets);
            TriggerRecord t = schedules.createTrigger("hello", new TriggerSpec.Webhook(SECRET), LaunchSpec.of(""), 1);

            String stored = ((TriggerSpec.Webhook) schedules.trigger(t.id()).spec()).secret();
            assertThat(stored).isEqualTo("{{secret.webhook-" + t.id() + ".secret}}").doesNotContain(SECRET);
            assertThat(vault.get("webhook-" + t.id()).orElseThrow().value("secret")).isEqualTo(SECRET);
            String rows = store.read(c -> {
                StringBuilder all = new StringBuilder();
                try (var rs = c.createStatement().executeQuery("SELECT * FROM triggers")) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            all.append(rs.getString(i)).append('|');
                        }
                    }
                }
                return all.toString();
            });
            assertThat(rows).as("no plain secret in the triggers table").doesNotContain(SECRET);

            RecordingLauncher launcher = new RecordingLauncher();
            SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withPollInterval(Duration.ofMillis(200));
            try (Scheduler scheduler = new Scheduler(store, Clock.systemUTC(), launcher, config, secrets).start()) {
                String body = "{}";
                WebhookVerifier signer = new WebhookVerifier(SECRET.getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(),
                        Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ofMinutes(5));
                long now = System.currentTimeMillis() / 1000;
                String forged = new WebhookVerifier(stored.getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(),
                        Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ofMinutes(5)).sign(body.getBytes(StandardCharsets.UTF_8));
                assertThat(post(scheduler.webhookPort(), t.id(), body, forged, "d-0", now).statusCode())
                        .as("the reference itself is not the secret").isEqualTo(401);
                HttpResponse<String> accepted = post(scheduler.webhookPort(), t.id(), body, signer.sign(body.getBytes(StandardCharsets.UTF_8)),
                        "d-1", now);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                Await.until(Duration.ofSeconds(10), "the accepted call is launched", () -> launcher.launched.size() == 1);
                launcher.endAll();
            }
            schedules.deleteTrigger(t.id());
            assertThat(vault.get("webhook-" + t.id())).isEmpty();
        }
    }

    @Test
    void aPlainSecretFromBeforeTheSecretsStoreMovesThereWhenTheSchedulerStartsAndStillVerifies() throws Exception {
        try (MetadataStore store = database.open(dir)) {
            // a trigger as an older Flywheel stored it: the secret itself in the row
            TriggerRecord old = new Schedules(store, Clock.systemUTC()).createTrigger("hello", new TriggerSpec.Webhook(SECRET),
                    LaunchSpec.of(""), 1);
            assertThat(((TriggerSpec.Webhook) old.spec()).secret()).isEqualTo(SECRET);
            LocalSecretsStore vault = new LocalSecretsStore(store, dir.resolve("secret.key"), Clock.systemUTC());
            WebhookSecrets secrets = new WebhookSecrets(() -> vault);
            Schedules schedules = new Schedules(store, Clock.systemUTC(), dev.flywheel.schedule.PipelineCheck.NONE, secrets);

            RecordingLauncher launcher = new RecordingLauncher();
            SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withPollInterval(Duration.ofMillis(200));
            try (Scheduler scheduler = new Scheduler(store, Clock.systemUTC(), launcher, config, secrets).start()) {
                assertThat(((TriggerSpec.Webhook) schedules.trigger(old.id()).spec()).secret())
                        .isEqualTo("{{secret.webhook-" + old.id() + ".secret}}");
                assertThat(vault.get("webhook-" + old.id()).orElseThrow().value("secret")).isEqualTo(SECRET);
                String body = "{}";
                WebhookVerifier signer = new WebhookVerifier(SECRET.getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(),
                        Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ofMinutes(5));
                HttpResponse<String> accepted = post(scheduler.webhookPort(), old.id(), body, signer.sign(body.getBytes(StandardCharsets.UTF_8)),
                        "d-1", System.currentTimeMillis() / 1000);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                Await.until(Duration.ofSeconds(10), "the accepted call is launched", () -> launcher.launched.size() == 1);
                launcher.endAll();
            }
            assertThat(secrets.moveIntoStore(new dev.flywheel.schedule.store.TriggerTable(store), java.time.Instant.now()))
                    .as("moved once").isZero();
        }
    }

    @Test
    void signedCallStartsOneRunWhileForgedStaleAndReplayedCallsAreRefused() throws Exception {
        try (MetadataStore store = database.open(dir)) {
            Schedules schedules = new Schedules(store, Clock.systemUTC());
            TriggerRecord t = schedules.createTrigger("hello", new TriggerSpec.Webhook(SECRET), LaunchSpec.of(""), 1);
            RecordingLauncher launcher = new RecordingLauncher();
            SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withPollInterval(Duration.ofMillis(200));
            try (Scheduler scheduler = new Scheduler(store, Clock.systemUTC(), launcher, config).start()) {
                int port = scheduler.webhookPort();
                assertThat(Files.readString(config.portFile())).isEqualTo(Integer.toString(port));
                String body = "{\"ref\":\"refs/heads/main\"}";
                WebhookVerifier signer = new WebhookVerifier(SECRET.getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(),
                        Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ofMinutes(5));
                String good = signer.sign(body.getBytes(StandardCharsets.UTF_8));
                String forged = new WebhookVerifier("another-secret-of-16".getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(),
                        Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ofMinutes(5)).sign(body.getBytes(StandardCharsets.UTF_8));
                long now = System.currentTimeMillis() / 1000;

                assertThat(post(port, t.id(), body, forged, "d-1", now).statusCode()).isEqualTo(401);
                assertThat(post(port, t.id(), body, null, "d-1", now).statusCode()).isEqualTo(401);
                assertThat(post(port, t.id(), body + " ", good, "d-1", now).statusCode()).isEqualTo(401);
                assertThat(post(port, t.id(), body, good, "d-1", now - 3600).statusCode()).isEqualTo(401);
                assertThat(post(port, "00000000deadbeef", body, good, "d-1", now).statusCode()).isEqualTo(404);

                HttpResponse<String> accepted = post(port, t.id(), body, good, "d-1", now);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                assertThat(accepted.body()).contains("\"delivery\":\"d-1\"");
                HttpResponse<String> replay = post(port, t.id(), body, good, "d-1", now);
                assertThat(replay.statusCode()).isEqualTo(409);
                assertThat(replay.body()).contains("already accepted");

                Await.until(Duration.ofSeconds(10), "the accepted call is launched", () -> launcher.launched.size() == 1);
                assertThat(launcher.triggers()).containsExactly("webhook:d-1");
                List<FireRecord> fires = schedules.fires(t.id(), 10);
                assertThat(fires).hasSize(1);
                assertThat(fires.getFirst().reasonJson()).contains("\"kind\":\"webhook\"").contains("d-1");
                launcher.endAll();
            }
            assertThat(Files.exists(dir.resolve("scheduler/webhook.port"))).isTrue();
        }
    }

    /** A scheduler with a webhook trigger and small limits, for the slow-client tests. */
    private record Endpoint(MetadataStore store, Scheduler scheduler, TriggerRecord trigger, RecordingLauncher launcher) implements AutoCloseable {
        int port() {
            return scheduler.webhookPort();
        }

        @Override
        public void close() {
            launcher.endAll();
            scheduler.close();
            store.close();
        }
    }

    private Endpoint endpoint(WebhookLimits limits) {
        MetadataStore store = MetadataStore.openSqlite(dir.resolve("flywheel.db"));
        TriggerRecord t = new Schedules(store, Clock.systemUTC()).createTrigger("hello", new TriggerSpec.Webhook(SECRET), LaunchSpec.of(""), 1);
        RecordingLauncher launcher = new RecordingLauncher();
        SchedulerConfig config = SchedulerConfig.defaults(dir.resolve("scheduler")).withPollInterval(Duration.ofMillis(200))
                .withWebhookLimits(limits);
        return new Endpoint(store, new Scheduler(store, Clock.systemUTC(), launcher, config).start(), t, launcher);
    }

    private static String signed(String body) {
        return new WebhookVerifier(SECRET.getBytes(StandardCharsets.UTF_8), DeliveryLog.inMemory(Clock.systemUTC(), Duration.ofMinutes(1)),
                Clock.systemUTC(), Duration.ofMinutes(5)).sign(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A raw loopback connection that has sent the head of a signed POST and promises a body it does not send. */
    private static Socket slowBody(int port, String trigger, int i) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        String head = "POST /hooks/" + trigger + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                + WebhookVerifier.SIGNATURE_HEADER + ": " + signed("x") + "\r\n" + WebhookVerifier.DELIVERY_HEADER + ": slow-" + i + "\r\n\r\n{";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** A raw loopback connection that has sent the first bytes of a request line and nothing more. */
    private static Socket slowHead(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("POST /hoo".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static String answer(Socket s) throws Exception {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void twentySlowConnectionsDoNotHoldBackAValidDeliveryAndAreClosedAtTheirDeadline() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        try (Endpoint e = endpoint(new WebhookLimits(64, timeout, 1 << 20))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    slow.add(slowHead(e.port()));
                    slow.add(slowBody(e.port(), e.trigger().id(), i));
                }
                long t0 = System.nanoTime();
                String body = "{\"ref\":\"main\"}";
                HttpResponse<String> accepted = post(e.port(), e.trigger().id(), body, signed(body), "d-valid", System.currentTimeMillis() / 1000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                assertThat(ms).as("a valid delivery beside 20 slow connections").isLessThan(timeout.toMillis());
                Await.until(Duration.ofSeconds(10), "the accepted call is launched", () -> e.launcher().launched.size() == 1);

                // every slow connection is answered 408 and closed by the server at its deadline
                long t1 = System.nanoTime();
                for (Socket s : slow) {
                    assertThat(answer(s)).startsWith("HTTP/1.1 408 ");
                }
                assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(timeout.toMillis() + 3_000);
                assertThat(e.launcher().launched).hasSize(1);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedAtOnceWhileTheCappedOnesTimeOut() throws Exception {
        try (Endpoint e = endpoint(new WebhookLimits(4, Duration.ofSeconds(1), 1 << 20))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    idle.add(slowHead(e.port()));
                }
                Await.until(Duration.ofSeconds(5), "the four connections are accepted", () -> {
                    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                        probe.setSoTimeout(5_000);
                        return answer(probe).startsWith("HTTP/1.1 503 ");
                    }
                });
                try (Socket fifth = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                    fifth.setSoTimeout(5_000);
                    long t0 = System.nanoTime();
                    String refused = answer(fifth);
                    assertThat(refused).startsWith("HTTP/1.1 503 ").contains("Too many open webhook connections (4)").contains("Retry-After: 1");
                    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
                }
                for (Socket s : idle) {
                    assertThat(answer(s)).startsWith("HTTP/1.1 408 ");
                }
                String body = "{}";
                Await.until(Duration.ofSeconds(5), "a slot is free again", () ->
                        post(e.port(), e.trigger().id(), body, signed(body), "d-after", System.currentTimeMillis() / 1000).statusCode() == 202);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aCallWithoutAValidSignatureHeaderIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Endpoint e = endpoint(new WebhookLimits(8, Duration.ofSeconds(5), 1024))) {
            for (String headers : List.of("", WebhookVerifier.SIGNATURE_HEADER + ": sha256=abc\r\n",
                    WebhookVerifier.SIGNATURE_HEADER + ": " + signed("{}") + "\r\n" + WebhookVerifier.TIMESTAMP_HEADER + ": 1\r\n")) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                    s.setSoTimeout(5_000);
                    // the head promises 100000 bytes and asks to continue; the server answers without asking for them
                    s.getOutputStream().write(("POST /hooks/" + e.trigger().id() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                            + "Expect: 100-continue\r\n" + WebhookVerifier.DELIVERY_HEADER + ": d-1\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    long t0 = System.nanoTime();
                    String answer = answer(s);
                    assertThat(answer).as(headers).startsWith("HTTP/1.1 401 ").doesNotContain("100 Continue");
                    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
                }
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), e.port())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(("POST /hooks/" + e.trigger().id() + " HTTP/1.1\r\nContent-Length: 100000\r\n"
                        + WebhookVerifier.DELIVERY_HEADER + ": d-2\r\n" + WebhookVerifier.SIGNATURE_HEADER + ": " + signed("{}") + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(answer(s)).as("a body over the limit is refused before it is read").startsWith("HTTP/1.1 413 ");
            }
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/hooks/" + e.trigger().id()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertThat(e.launcher().launched).isEmpty();
        }
    }

    @Test
    void theEndpointListensOnLoopbackOnly() throws Exception {
        try (Endpoint e = endpoint(WebhookLimits.defaults())) {
            for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
                        continue;
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new java.net.InetSocketAddress(address, e.port()), 1000);
                        throw new AssertionError("the webhook endpoint answered on " + address);
                    } catch (java.io.IOException expected) {
                        // refused: not listening there
                    }
                }
            }
        }
    }
}
