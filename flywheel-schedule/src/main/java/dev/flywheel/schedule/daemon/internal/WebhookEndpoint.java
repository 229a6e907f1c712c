package dev.flywheel.schedule.daemon.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code POST /hooks/<trigger id>} on 127.0.0.1: verifies the GitHub-style signature with the trigger's secret,
 * refuses forgeries (401) and replayed deliveries (409), and records an accepted call as a fire keyed by its
 * delivery id, which the scheduler then launches. Answers {@code 202} with the delivery id. JSON errors are
 * {@code {"error_code": ..., "message": ...}}.
 */
public final class WebhookEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
    private static final int MAX_BODY = 1 << 20;
    public static final String PATH = "/hooks/";

    private final MetadataStore store;
    private final TriggerTable triggers;
    private final FireLedger fires;
    private final Clock clock;
    private final Duration tolerance;
    private final Runnable onAccepted;
    private HttpServer server;
    private ExecutorService executor;

    public WebhookEndpoint(MetadataStore store, TriggerTable triggers, FireLedger fires, Clock clock, Duration tolerance,
                           Runnable onAccepted) {
        this.store = store;
        this.triggers = triggers;
        this.fires = fires;
        this.clock = clock;
        this.tolerance = tolerance;
        this.onAccepted = onAccepted;
    }

    /** Listens on 127.0.0.1:{@code port} (0 for any free port) and writes the bound port to {@code portFile}. */
    public void start(int port, Path portFile) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot listen for webhooks on 127.0.0.1:" + port + ": "
                    + e.getMessage() + "; pick another port with --webhook-port (0 for any free one)", e);
        }
        executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("flywheel-webhook-", 0).daemon(true).factory());
        server.setExecutor(executor);
        server.createContext(PATH, this::handle);
        server.start();
        try {
            Files.createDirectories(portFile.toAbsolutePath().getParent());
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(port()));
            Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            close();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write the webhook port file " + portFile + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, Map.of("error_code", ErrorCode.INVALID_ARGUMENT.name(), "message", "Use POST"));
                return;
            }
            String id = exchange.getRequestURI().getPath().substring(PATH.length());
            TriggerRecord trigger = find(id);
            if (trigger == null) {
                reply(exchange, 404, Map.of("error_code", ErrorCode.NOT_FOUND.name(), "message", "No webhook trigger '" + id
                        + "'; list them with: flywheel triggers list"));
                return;
            }
            if (trigger.paused()) {
                reply(exchange, 409, Map.of("error_code", ErrorCode.CONFLICT.name(), "message", "Trigger " + id
                        + " is paused; resume it with: flywheel triggers resume " + id));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(exchange, 413, Map.of("error_code", ErrorCode.INVALID_ARGUMENT.name(), "message", "Body larger than 1 MiB"));
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.getFirst()));
            String secret = ((TriggerSpec.Webhook) trigger.spec()).secret();
            WebhookVerifier verifier = new WebhookVerifier(secret.getBytes(StandardCharsets.UTF_8),
                    new DbDeliveryLog(store, trigger.id()), clock, tolerance);
            switch (verifier.verify(headers, body)) {
                case WebhookVerifier.Rejected r -> {
                    log.warn("webhook refused: trigger={} reason={} remote={}", trigger.id(), r.rejection(), exchange.getRemoteAddress());
                    ErrorCode code = r.rejection().httpStatus() == 409 ? ErrorCode.CONFLICT : ErrorCode.INVALID_ARGUMENT;
                    reply(exchange, r.rejection().httpStatus(), Map.of("error_code", r.rejection() == WebhookVerifier.Rejection.REPLAYED_DELIVERY
                            ? code.name() : "UNAUTHENTICATED", "message", r.message()));
                }
                case WebhookVerifier.Accepted a -> {
                    Instant now = clock.instant();
                    String delivery = a.reason().deliveryId();
                    fires.claim(new FireRecord(trigger.id(), "webhook:" + delivery, FireRecord.SourceKind.TRIGGER, trigger.pipeline(),
                            now, FireState.DEFERRED, "webhook:" + delivery, StoreJson.write(a.reason()), Map.of(), null, null, null,
                            null, now, null, null, null));
                    log.info("webhook accepted: trigger={} delivery={} pipeline={}", trigger.id(), delivery, trigger.pipeline());
                    onAccepted.run();
                    reply(exchange, 202, Map.of("trigger", trigger.id(), "delivery", delivery, "pipeline", trigger.pipeline()));
                }
            }
        } catch (RuntimeException e) {
            log.error("webhook failed: {}", e.toString(), e);
            reply(exchange, 500, Map.of("error_code", ErrorCode.INTERNAL.name(), "message", "The scheduler could not record the call: " + e.getMessage()));
        }
    }

    private TriggerRecord find(String id) {
        if (!id.matches("[0-9a-f]{16}")) {
            return null;
        }
        List<TriggerRecord> all = triggers.list();
        return all.stream().filter(t -> t.id().equals(id) && t.spec() instanceof TriggerSpec.Webhook).findFirst().orElse(null);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        byte[] bytes = StoreJson.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
