package dev.flywheel.engine.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code webhook} alerter: POSTs each alert as JSON with a Slack-compatible {@code text} field (Slack, Mattermost
 * and Teams incoming webhooks show it as is; other receivers read {@code title}, {@code severity} and {@code details}).
 * A connection failure, a 429 or a 5xx is retried with doubling backoff; any other answer is final. The URL (which for
 * chat webhooks is itself the credential) and the token never appear in what it returns or logs.
 */
public final class WebhookAlerter implements Alerter {
    private static final Logger log = LoggerFactory.getLogger(WebhookAlerter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String token;
    private final Alert.Severity minSeverity;
    private final int attempts;
    private final Duration initialBackoff;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param attempts       tries in all, at least 1
     * @param initialBackoff the wait before the second try; doubled before each later one
     */
    public WebhookAlerter(URI url, String token, Alert.Severity minSeverity, int attempts, Duration initialBackoff, Duration timeout, Clock clock) {
        this.url = url;
        this.token = token;
        this.minSeverity = minSeverity;
        this.attempts = attempts;
        this.initialBackoff = initialBackoff;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The body posted for {@code alert}. */
    public byte[] body(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        String icon = switch (alert.severity()) {
            case INFO -> ":information_source:";
            case WARNING -> ":warning:";
            case ERROR -> ":rotating_light:";
        };
        body.put("text", icon + " *" + alert.title() + "*" + (alert.text().isEmpty() ? "" : "\n" + alert.text()));
        body.put("title", alert.title());
        body.put("severity", alert.severity().name().toLowerCase(java.util.Locale.ROOT));
        body.put("message", alert.text());
        ObjectNode details = body.putObject("details");
        alert.details().forEach(details::put);
        body.put("sent_at", clock.instant().toString());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("an alert always writes as JSON", e);
        }
    }

    @Override
    public AlertDelivery post(Alert alert) {
        if (alert.severity().compareTo(minSeverity) < 0) {
            return AlertDelivery.delivered("not sent: " + alert.severity() + " is below minSeverity " + minSeverity);
        }
        byte[] body = body(alert);
        String last = "";
        Duration backoff = initialBackoff;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                    .header("User-Agent", "flywheel-alerter").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (token != null && !token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status < 300) {
                    return AlertDelivery.delivered("posted to the webhook (HTTP " + status + ", attempt " + attempt + " of " + attempts + ")");
                }
                last = "HTTP " + status;
                if (status != 429 && status < 500) {
                    return AlertDelivery.failed("the webhook refused the alert with HTTP " + status + " (attempt " + attempt + "; not retried:"
                            + " check the alerter's url and token)");
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redact(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AlertDelivery.failed("interrupted while posting the alert (attempt " + attempt + ")");
            }
            log.debug("alert post attempt {} of {} failed: {}", attempt, attempts, last);
        }
        return AlertDelivery.failed("the webhook could not be reached after " + attempts + " attempt(s); last: " + last);
    }

    /** The message without the URL, whose path is the credential of chat webhooks. */
    private String redact(String message) {
        return message.replace(url.toString(), "<webhook url>").replace(url.getRawPath(), "<path>");
    }

    @Override
    public String toString() {
        return "WebhookAlerter[" + url.getScheme() + "://" + url.getHost() + "]";
    }
}
