package dev.flywheel.engine.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook alerter against a real HTTP receiver: the body, retries with backoff on 429/5xx/no answer, no retry on 4xx. */
class WebhookAlerterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC);
    private static final Alert DRIFT = new Alert(Alert.Severity.WARNING, "Model bike v3: live data drifted", "2 of 4 columns drifted",
            Map.of("model", "bike", "trigger", "t1"));

    private HttpServer server;
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> auth = Collections.synchronizedList(new ArrayList<>());

    private URI receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/secret-path", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Integer status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.poll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/secret-path");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static WebhookAlerter alerter(URI url, String token, int attempts) {
        return new WebhookAlerter(url, token, Alert.Severity.INFO, attempts, Duration.ofMillis(5), Duration.ofSeconds(5), CLOCK);
    }

    @Test
    void anAlertIsPostedAsJsonWithASlackTextFieldAndItsDetails() throws Exception {
        AlertDelivery d = alerter(receiver(), "tok-123", 3).post(DRIFT);
        assertThat(d.delivered()).isTrue();
        assertThat(d.detail()).contains("HTTP 200", "attempt 1 of 3").doesNotContain("secret-path");
        JsonNode body = new ObjectMapper().readTree(bodies.getFirst());
        assertThat(body.get("text").asText()).isEqualTo(":warning: *Model bike v3: live data drifted*\n2 of 4 columns drifted");
        assertThat(body.get("severity").asText()).isEqualTo("warning");
        assertThat(body.get("details").get("model").asText()).isEqualTo("bike");
        assertThat(body.get("sent_at").asText()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(auth).containsExactly("Bearer tok-123");
    }

    @Test
    void unavailableAndThrottledAnswersAreRetriedAndClientErrorsAreNot() throws Exception {
        URI url = receiver();
        record Case(List<Integer> statuses, int attempts, boolean delivered, int posts, String detail) {
        }
        List<Case> cases = List.of(new Case(List.of(503, 429), 3, true, 3, "attempt 3 of 3"),
                new Case(List.of(500, 502, 504), 3, false, 3, "after 3 attempt(s); last: HTTP 504"),
                new Case(List.of(400), 3, false, 1, "HTTP 400 (attempt 1; not retried"),
                new Case(List.of(404), 3, false, 1, "HTTP 404"),
                new Case(List.of(), 1, true, 1, "attempt 1 of 1"));
        for (Case c : cases) {
            bodies.clear();
            synchronized (answers) {
                answers.clear();
                answers.addAll(c.statuses());
            }
            AlertDelivery d = alerter(url, null, c.attempts()).post(DRIFT);
            assertThat(d.delivered()).as(c.toString()).isEqualTo(c.delivered());
            assertThat(d.detail()).as(c.toString()).contains(c.detail()).doesNotContain("secret-path");
            assertThat(bodies).as(c.toString()).hasSize(c.posts());
            assertThat(auth).allMatch("null"::equals);
            auth.clear();
        }
    }

    @Test
    void anUnreachableReceiverIsAFailedDeliveryAfterEveryAttemptNeverAnException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AlertDelivery d = alerter(URI.create("http://127.0.0.1:" + port + "/hooks/secret-path"), null, 3).post(DRIFT);
        assertThat(d.delivered()).isFalse();
        assertThat(d.detail()).contains("could not be reached after 3 attempt(s)").doesNotContain("secret-path");
    }

    @Test
    void alertsBelowTheMinimumSeverityAreNotSent() throws Exception {
        WebhookAlerter quiet = new WebhookAlerter(receiver(), null, Alert.Severity.ERROR, 1, Duration.ZERO, Duration.ofSeconds(5), CLOCK);
        assertThat(quiet.post(DRIFT).detail()).contains("below minSeverity ERROR");
        assertThat(bodies).isEmpty();
    }
}
