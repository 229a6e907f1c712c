package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.trigger.DeliveryLog;
import dev.flywheel.schedule.trigger.WebhookVerifier;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
}
