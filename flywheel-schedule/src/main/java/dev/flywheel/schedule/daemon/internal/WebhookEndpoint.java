package dev.flywheel.schedule.daemon.internal;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.WebhookSecrets;
import dev.flywheel.schedule.daemon.DaemonFiles;
import dev.flywheel.schedule.daemon.WebhookLimits;
import dev.flywheel.schedule.store.DbDeliveryLog;
import dev.flywheel.schedule.store.FireLedger;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.schedule.store.TriggerTable;
import dev.flywheel.schedule.trigger.WebhookVerifier;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /hooks/<trigger id>} on 127.0.0.1: verifies the GitHub-style signature with the trigger's secret,
 * refuses forgeries (401) and replayed deliveries (409), and records an accepted call as a fire keyed by its
 * delivery id, which the scheduler then launches. Answers {@code 202} with the delivery id. JSON errors are
 * {@code {"error_code": ..., "message": ...}}.
 *
 * <p>Everything that can be judged from the head (method, trigger, paused, signature header present and well-formed,
 * timestamp fresh, delivery id present) is judged before the body is read; see {@link WebhookServer} for the limits
 * that keep slow clients from holding back valid deliveries.
 */
public final class WebhookEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
    public static final String PATH = "/hooks/";

    private final MetadataStore store;
    private final TriggerTable triggers;
    private final FireLedger fires;
    private final Clock clock;
    private final Duration tolerance;
    private final WebhookLimits limits;
    private final Runnable onAccepted;
    private final WebhookSecrets secrets;
    private WebhookServer server;

    public WebhookEndpoint(MetadataStore store, TriggerTable triggers, FireLedger fires, Clock clock, Duration tolerance,
                           WebhookLimits limits, Runnable onAccepted, WebhookSecrets secrets) {
        this.secrets = secrets;
        this.store = store;
        this.triggers = triggers;
        this.fires = fires;
        this.clock = clock;
        this.tolerance = tolerance;
        this.limits = limits;
        this.onAccepted = onAccepted;
    }

    /** Listens on 127.0.0.1:{@code port} (0 for any free port) and writes the bound port to {@code portFile}. */
    public void start(int port, Path portFile) {
        server = WebhookServer.start(port, new WebhookServer.Limits(limits.maxConnections(), limits.requestTimeout(),
                16 * 1024, limits.maxBodyBytes()), new Handler());
        try {
            DaemonFiles.writePrivately(portFile, Integer.toString(port()));
        } catch (FlywheelException e) {
            close();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write the webhook port file " + portFile + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server == null ? -1 : server.port();
    }

    private final class Handler implements WebhookServer.Handler {
        @Override
        public Optional<WebhookServer.Response> head(WebhookServer.Head head) {
            if (!head.path().startsWith(PATH)) {
                return Optional.of(reply(404, ErrorCode.NOT_FOUND.name(), "Webhooks are POSTed to " + PATH + "TRIGGER_ID"));
            }
            if (!head.method().equals("POST")) {
                WebhookServer.Response r = reply(405, ErrorCode.INVALID_ARGUMENT.name(), "Use POST");
                return Optional.of(new WebhookServer.Response(r.status(), Map.of("Content-Type", "application/json", "Allow", "POST"), r.body()));
            }
            String id = head.path().substring(PATH.length());
            TriggerRecord trigger = find(id);
            if (trigger == null) {
                return Optional.of(reply(404, ErrorCode.NOT_FOUND.name(), "No webhook trigger '" + id + "'; list them with: flywheel triggers list"));
            }
            if (trigger.paused()) {
                return Optional.of(reply(409, ErrorCode.CONFLICT.name(), "Trigger " + id + " is paused; resume it with: flywheel triggers resume " + id));
            }
            return verifier(trigger).checkHeaders(head.headers()).map(r -> rejected(trigger, r));
        }

        @Override
        public WebhookServer.Response body(WebhookServer.Head head, byte[] body) {
            try {
                TriggerRecord trigger = find(head.path().substring(PATH.length()));
                if (trigger == null) {
                    return reply(404, ErrorCode.NOT_FOUND.name(), "The trigger was deleted while its call arrived");
                }
                return switch (verifier(trigger).verify(head.headers(), body)) {
                    case WebhookVerifier.Rejected r -> rejected(trigger, r);
                    case WebhookVerifier.Accepted a -> {
                        Instant now = clock.instant();
                        String delivery = a.reason().deliveryId();
                        fires.claim(new FireRecord(trigger.id(), "webhook:" + delivery, FireRecord.SourceKind.TRIGGER, trigger.pipeline(),
                                now, FireState.DEFERRED, "webhook:" + delivery, StoreJson.write(a.reason()), Map.of(), null, null, null,
                                null, now, null, null, null));
                        log.info("webhook accepted: trigger={} delivery={} pipeline={}", trigger.id(), delivery, trigger.pipeline());
                        onAccepted.run();
                        yield new WebhookServer.Response(202, Map.of("Content-Type", "application/json"), StoreJson.write(
                                Map.of("trigger", trigger.id(), "delivery", delivery, "pipeline", trigger.pipeline())).getBytes(StandardCharsets.UTF_8));
                    }
                };
            } catch (RuntimeException e) {
                log.error("webhook failed: {}", e.toString(), e);
                return reply(500, ErrorCode.INTERNAL.name(), "The scheduler could not record the call: " + e.getMessage());
            }
        }

        @Override
        public String error(ErrorCode code, String message) {
            return StoreJson.write(Map.of("error_code", code.name(), "message", message));
        }
    }

    private WebhookVerifier verifier(TriggerRecord trigger) {
        String secret = secrets.resolve((TriggerSpec.Webhook) trigger.spec());
        return new WebhookVerifier(secret.getBytes(StandardCharsets.UTF_8), new DbDeliveryLog(store, trigger.id()), clock, tolerance);
    }

    private static WebhookServer.Response rejected(TriggerRecord trigger, WebhookVerifier.Rejected r) {
        log.warn("webhook refused: trigger={} reason={}", trigger.id(), r.rejection());
        String code = r.rejection() == WebhookVerifier.Rejection.REPLAYED_DELIVERY ? ErrorCode.CONFLICT.name()
                : r.rejection().httpStatus() == 400 ? ErrorCode.INVALID_ARGUMENT.name() : "UNAUTHENTICATED";
        return reply(r.rejection().httpStatus(), code, r.message());
    }

    private static WebhookServer.Response reply(int status, String code, String message) {
        return WebhookServer.Response.json(status, StoreJson.write(Map.of("error_code", code, "message", message)));
    }

    /** The webhook trigger with exactly this id, or null; reads only that row. */
    private TriggerRecord find(String id) {
        if (!id.matches("[0-9a-f]{16}")) {
            return null;
        }
        try {
            TriggerRecord t = triggers.get(id);
            return t.id().equals(id) && t.spec() instanceof TriggerSpec.Webhook && t.broken() == null ? t : null;
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                throw e;
            }
            return null;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
