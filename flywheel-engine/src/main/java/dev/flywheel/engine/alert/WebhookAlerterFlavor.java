package dev.flywheel.engine.alert;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;

import java.net.URI;
import java.time.Duration;

/**
 * The alerter flavor {@code webhook}: alerts POSTed as JSON to a URL (a Slack, Mattermost or Teams incoming webhook,
 * or any receiver). The URL and the token are secrets: they are given as {@code {{secret.NAME.KEY}}} references.
 * <pre>
 * flywheel secret create slack -v url=https://hooks.slack.com/services/T000/B000/XXXX
 * flywheel alerter register slack --flavor webhook -s url={{secret.slack.url}}
 * </pre>
 */
public final class WebhookAlerterFlavor implements Flavor<WebhookAlerterFlavor.Settings, Alerter> {

    public record Settings(
            @Setting(description = "where alerts are POSTed, as {{secret.NAME.KEY}} (a chat webhook's URL is its credential)",
                    required = true, secret = true) String url,
            @Setting(description = "a bearer token sent as Authorization, as {{secret.NAME.KEY}}; none by default", secret = true) String token,
            @Setting(description = "alerts below it are not sent", defaultValue = "info") Alert.Severity minSeverity,
            @Setting(description = "tries in all when the receiver cannot be reached or answers 429/5xx", defaultValue = "4") int attempts,
            @Setting(description = "the wait before the second try, doubled before each later one", defaultValue = "1s") Duration initialBackoff,
            @Setting(description = "connect and answer time of one try", defaultValue = "10s") Duration timeout) {
        public Settings {
            if (attempts < 1 || attempts > 10) {
                throw FlywheelException.invalid("webhook alerter: attempts must be between 1 and 10, got " + attempts);
            }
            if (initialBackoff.isNegative() || initialBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
                throw FlywheelException.invalid("webhook alerter: initialBackoff must be between 0 and 1m, got " + initialBackoff);
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw FlywheelException.invalid("webhook alerter: timeout must be above 0 and at most 5m, got " + timeout);
            }
        }
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.ALERTER;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "alerts POSTed as JSON with a Slack-compatible text field, retried with backoff";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Alerter create(Settings settings, FlavorContext context) {
        URI url;
        try {
            url = URI.create(settings.url().strip());
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("webhook alerter: the url (from its secret) is not a URL; store an http(s) URL in the secret");
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw FlywheelException.invalid("webhook alerter: the url (from its secret) must be an http:// or https:// URL with a host");
        }
        return new WebhookAlerter(url, settings.token(), settings.minSeverity(), settings.attempts(), settings.initialBackoff(),
                settings.timeout(), context.clock());
    }
}
