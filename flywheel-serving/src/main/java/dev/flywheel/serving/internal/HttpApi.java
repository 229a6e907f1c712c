package dev.flywheel.serving.internal;

import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.serving.api.SwapCodec;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ModelVersionSpec;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP shell: routes for OIP v2, MLflow scoring, admin and metrics on Javalin. Each model request takes one
 * version from the {@link ModelSlot} and keeps it to the end; responses are written straight to the servlet
 * stream with a Content-Length so that a request counted as finished has really been sent.
 */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    public static final String VERSION_HEADER = ServingProtocol.MODEL_VERSION_HEADER;
    public static final String REQUEST_ID_HEADER = ServingProtocol.REQUEST_ID_HEADER;
    private static final int MAX_REQUEST_ID = ServingProtocol.MAX_REQUEST_ID_LENGTH;
    private static final String JSON = "application/json";

    /** Settings the HTTP layer needs, already validated. */
    public record Settings(String host, int port, String adminToken, long maxBodyBytes, int maxThreads,
                           boolean virtualThreads, String serverVersion, int maxConnections, long idleTimeoutMillis,
                           long requestReadTimeoutMillis, long cappedIdleTimeoutMillis) {
    }

    private final Settings settings;
    private final ModelSlot slot;
    private final HotSwap swap;
    private final PrometheusMeterRegistry registry;
    private final Function<ServedModel, byte[]> status;
    private final PredictionLog predictionLog;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] adminTokenBytes;
    /** Path pattern -> the methods it serves, filled while routes are registered. */
    private final Map<String, Set<HandlerType>> allowed = new LinkedHashMap<>();
    private volatile boolean closing;
    private Javalin app;

    public HttpApi(Settings settings, ModelSlot slot, HotSwap swap, PrometheusMeterRegistry registry,
                   Function<ServedModel, byte[]> status, PredictionLog predictionLog) {
        this.settings = settings;
        this.predictionLog = predictionLog;
        this.slot = slot;
        this.swap = swap;
        this.registry = registry;
        this.status = status;
        this.adminTokenBytes = settings.adminToken() == null ? null : settings.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ModelHandler {
        void handle(Context ctx, ServedModel model, Exchange exchange) throws Exception;
    }

    /** One model request's id and arrival, for the response header and the prediction log. */
    private record Exchange(String requestId, Instant arrival, long startNanos) {
    }

    public int start() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = settings.host();
            cfg.jetty.port = settings.port();
            cfg.http.maxRequestSize = settings.maxBodyBytes();
            cfg.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                connector.setIdleTimeout(settings.idleTimeoutMillis());
                server.addBean(new ConnectionCap(settings.maxConnections(), connector, settings.idleTimeoutMillis(),
                        settings.cappedIdleTimeoutMillis()));
                return connector;
            });
            cfg.jetty.modifyServer(server -> {
                // Javalin puts its servlet context inside this wrapper, so every body is complete before a worker runs.
                server.setHandler(new BodyFirstHandler(settings.maxBodyBytes(), settings.requestReadTimeoutMillis(),
                        () -> slot.peek().versionText()));
            });
            if (settings.virtualThreads()) {
                cfg.concurrency.useVirtualThreads = true;
            } else {
                QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), Math.min(8, settings.maxThreads()));
                pool.setName("serving");
                cfg.jetty.threadPool = pool;
            }
            routes(cfg.routes);
        });
        app.start();
        return app.port();
    }

    private void routes(RoutesConfig r) {
        // Unknown paths too get a JSON error naming the endpoints, and the version header.
        r.error(404, ctx -> {
            if (!ctx.res().isCommitted()) {
                ctx.res().setHeader(VERSION_HEADER, slot.peek().versionText());
                send(ctx, 404, Json.error("no endpoint " + ctx.method() + " " + ctx.path()
                        + "; this server answers /v2/..., /invocations, /ping, /health, /version, /metrics and /admin/..."));
            }
        });
        route(r, HandlerType.GET, "/v2", plain(Endpoint.V2_SERVER, ctx -> send(ctx, 200, serverMetadata())));
        route(r, HandlerType.GET, "/v2/health/live", plain(Endpoint.V2_HEALTH, ctx -> send(ctx, 200, bytes("{\"live\":true}"))));
        route(r, HandlerType.GET, ServingProtocol.READY_PATH, plain(Endpoint.V2_HEALTH, ctx -> {
            boolean ready = !closing;
            send(ctx, ready ? 200 : 503, bytes("{\"ready\":" + ready + "}"));
        }));
        ModelHandler metadata = (ctx, m, x) -> {
            checkModel(ctx, m);
            send(ctx, 200, OipCodec.writeMetadata(m));
        };
        ModelHandler ready = (ctx, m, x) -> {
            checkModel(ctx, m);
            send(ctx, 200, Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("name", m.spec().modelName());
                g.writeBooleanField("ready", true);
                g.writeEndObject();
            }));
        };
        ModelHandler infer = (ctx, m, x) -> {
            checkModel(ctx, m);
            JsonNode root = Json.parse(readBody(ctx));
            OipCodec.InferRequest req = OipCodec.read(root, m.spec().signature(), m.spec().modelName());
            Predictions p = predict(m, req.batch());
            send(ctx, 200, OipCodec.writeInfer(m, req, p));
            logPrediction(m, x, req.batch(), p);
        };
        route(r, HandlerType.GET, "/v2/models/{m}", model(Endpoint.V2_MODEL_METADATA, metadata));
        route(r, HandlerType.GET, "/v2/models/{m}/versions/{v}", model(Endpoint.V2_MODEL_METADATA, metadata));
        route(r, HandlerType.GET, "/v2/models/{m}/ready", model(Endpoint.V2_MODEL_READY, ready));
        route(r, HandlerType.GET, "/v2/models/{m}/versions/{v}/ready", model(Endpoint.V2_MODEL_READY, ready));
        route(r, HandlerType.POST, "/v2/models/{m}/infer", model(Endpoint.V2_INFER, infer));
        route(r, HandlerType.POST, "/v2/models/{m}/versions/{v}/infer", model(Endpoint.V2_INFER, infer));

        route(r, HandlerType.GET, "/ping", plain(Endpoint.MLFLOW_HEALTH, ctx -> send(ctx, 200, "text/plain", bytes("\n"))));
        route(r, HandlerType.GET, "/health", plain(Endpoint.MLFLOW_HEALTH, ctx -> send(ctx, 200, "text/plain", bytes("\n"))));
        route(r, HandlerType.GET, "/version", plain(Endpoint.MLFLOW_VERSION, ctx -> send(ctx, 200, "text/plain", bytes(settings.serverVersion()))));
        route(r, HandlerType.POST, "/invocations", model(Endpoint.MLFLOW_INVOCATIONS, (ctx, m, x) -> {
            String type = ctx.req().getContentType();
            String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
            FeatureBatch batch = switch (mime) {
                case JSON -> MlflowCodec.readJson(Json.parse(readBody(ctx)), m.spec().signature());
                case "text/csv" -> MlflowCodec.readCsv(readBody(ctx), m.spec().signature());
                default -> throw new RequestRejected(415, "unsupported Content-Type '" + (type == null ? "" : type)
                        + "' for /invocations; send application/json or text/csv");
            };
            Predictions p = predict(m, batch);
            send(ctx, 200, MlflowCodec.writePredictions(m, p));
            logPrediction(m, x, batch, p);
        }));

        route(r, HandlerType.GET, "/metrics", plain(Endpoint.METRICS, ctx -> send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
                bytes(registry.scrape()))));
        route(r, HandlerType.GET, "/admin/status", plain(Endpoint.ADMIN_STATUS, ctx -> {
            authorize(ctx);
            send(ctx, 200, status.apply(slot.peek()));
        }));
        route(r, HandlerType.POST, ServingProtocol.SWAP_PATH, plain(Endpoint.ADMIN_SWAP, ctx -> {
            authorize(ctx);
            ModelVersionSpec spec = SwapCodec.read(readBody(ctx));
            ServedModel next = swap.swap(spec);
            ctx.header(VERSION_HEADER, next.versionText());
            send(ctx, 200, status.apply(next));
        }));
        refuseOtherMethods(r);
    }

    /** Registers a route and remembers its method, so other methods on the same path answer 405 with Allow. */
    private void route(RoutesConfig r, HandlerType method, String path, Handler handler) {
        r.addHttpHandler(method, path, handler);
        Set<HandlerType> methods = allowed.computeIfAbsent(path, p -> new LinkedHashSet<>());
        methods.add(method);
        if (method == HandlerType.GET) {
            // HEAD is GET without the body (Jetty drops it), as HTTP says every GET resource answers HEAD.
            r.addHttpHandler(HandlerType.HEAD, path, handler);
            methods.add(HandlerType.HEAD);
        }
    }

    /** Every known path answers the methods it does not serve with 405 and an Allow header, never 404. */
    private void refuseOtherMethods(RoutesConfig r) {
        for (Map.Entry<String, Set<HandlerType>> e : allowed.entrySet()) {
            Set<HandlerType> methods = e.getValue();
            // The methods the path serves; OPTIONS is answered everywhere and not listed, so POST-only reads "Allow: POST".
            String allow = String.join(", ", methods.stream().map(HandlerType::name).toList());
            r.addHttpHandler(HandlerType.OPTIONS, e.getKey(), ctx -> {
                ctx.res().setHeader("Allow", allow);
                ctx.res().setHeader(VERSION_HEADER, slot.peek().versionText());
                ctx.res().setStatus(204);
            });
            for (HandlerType other : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
                if (!methods.contains(other)) {
                    r.addHttpHandler(other, e.getKey(), ctx -> {
                        ctx.res().setHeader("Allow", allow);
                        ctx.res().setHeader(VERSION_HEADER, slot.peek().versionText());
                        send(ctx, 405, Json.error("method " + ctx.method() + " is not allowed on " + ctx.path() + "; use " + allow));
                    });
                }
            }
        }
    }

    /** Offers an answered request to the prediction log: after the answer is sent, never blocking, never failing. */
    private void logPrediction(ServedModel m, Exchange x, FeatureBatch batch, Predictions p) {
        if (predictionLog == PredictionLog.disabled()) {
            return;
        }
        predictionLog.record(new PredictionEvent(x.requestId(), x.arrival(), m.logSchema(), batch.rows(), batch.values(), p.values(),
                System.nanoTime() - x.startNanos()));
    }

    /** The client's request id when it is sane, one made here when there is none; 400 for one that is not. */
    private static String requestId(Context ctx) {
        String given = ctx.req().getHeader(REQUEST_ID_HEADER);
        if (given == null || given.isEmpty()) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return hex16(r.nextLong()) + hex16(r.nextLong());
        }
        if (given.length() > MAX_REQUEST_ID || !given.chars().allMatch(HttpApi::requestIdChar)) {
            throw new RequestRejected(400, REQUEST_ID_HEADER + " must be 1 to " + MAX_REQUEST_ID
                    + " characters among letters, digits and . _ : - (a UUID fits); got "
                    + (given.length() > 40 ? given.length() + " characters" : "'" + given.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
        }
        return given;
    }

    private static boolean requestIdChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }

    private static Predictions predict(ServedModel m, FeatureBatch batch) {
        Predictions p = m.model().predict(batch);
        if (p.rows() != batch.rows()) {
            throw new IllegalStateException("model returned " + p.rows() + " rows for " + batch.rows() + " input rows");
        }
        return p;
    }

    /** A model endpoint: one version acquired for the whole request, released (maybe closing it) at the end. */
    private Handler model(Endpoint endpoint, ModelHandler handler) {
        return ctx -> {
            long start = System.nanoTime();
            inFlight.incrementAndGet();
            ServedModel m = slot.acquire();
            try {
                if (m == null) {
                    fail(ctx, new RequestRejected(503, "the server is shutting down"));
                    return;
                }
                ctx.res().setHeader(VERSION_HEADER, m.versionText());
                if (closing) {
                    ctx.res().setHeader("Connection", "close");
                }
                try {
                    String id = requestId(ctx);
                    ctx.res().setHeader(REQUEST_ID_HEADER, id);
                    handler.handle(ctx, m, new Exchange(id, Instant.now(), start));
                } catch (Exception e) {
                    fail(ctx, e);
                }
            } finally {
                if (m != null) {
                    m.meters().record(endpoint, System.nanoTime() - start, ctx.res().getStatus());
                    slot.release(m);
                }
                inFlight.decrementAndGet();
            }
        };
    }

    /** An endpoint that does not predict; still counted for graceful shutdown and metrics. */
    private Handler plain(Endpoint endpoint, Handler handler) {
        return ctx -> {
            long start = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                ServedModel current = slot.peek();
                ctx.res().setHeader(VERSION_HEADER, current.versionText());
                if (closing) {
                    ctx.res().setHeader("Connection", "close");
                }
                try {
                    handler.handle(ctx);
                } catch (Exception e) {
                    fail(ctx, e);
                }
                current.meters().record(endpoint, System.nanoTime() - start, ctx.res().getStatus());
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    private static void checkModel(Context ctx, ServedModel m) {
        String name = ctx.pathParam("m");
        if (!name.equals(m.spec().modelName())) {
            throw new RequestRejected(404, "model '" + name + "' is not served here; this server serves '"
                    + m.spec().modelName() + "' version " + m.versionText());
        }
        String v = ctx.pathParamMap().get("v");
        if (v != null && !v.equals(m.versionText())) {
            throw new RequestRejected(404, "version '" + v + "' of model '" + name + "' is not served here; the served version is "
                    + m.versionText());
        }
    }

    private void authorize(Context ctx) {
        if (adminTokenBytes == null) {
            throw new RequestRejected(403, "admin endpoints are disabled; start the server with an admin token");
        }
        String auth = ctx.req().getHeader(ServingProtocol.AUTHORIZATION_HEADER);
        if (auth == null || !auth.startsWith(ServingProtocol.BEARER_PREFIX)) {
            ctx.res().setHeader("WWW-Authenticate", "Bearer");
            throw new RequestRejected(401, "admin endpoints need the header 'Authorization: Bearer <admin token>'");
        }
        byte[] given = auth.substring(ServingProtocol.BEARER_PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, adminTokenBytes)) {
            throw new RequestRejected(403, "the admin token is wrong");
        }
    }

    /** Reads the body, refusing more than maxBodyBytes before buffering it. */
    private byte[] readBody(Context ctx) throws IOException {
        long max = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared, max);
        }
        InputStream in = ctx.req().getInputStream();
        if (declared >= 0) {
            byte[] body = in.readNBytes((int) declared);
            if (body.length != declared) {
                throw FlywheelException.invalid("request body ended after " + body.length + " of " + declared + " bytes");
            }
            return body;
        }
        byte[] body = in.readNBytes((int) max + 1);
        if (body.length > max) {
            throw tooLarge(body.length, max);
        }
        return body;
    }

    private static RequestRejected tooLarge(long size, long max) {
        return new RequestRejected(413, "request body of " + (size > max ? "more than " + max : size) + " bytes is over the limit of "
                + max + " bytes; send fewer rows per request");
    }

    private void fail(Context ctx, Exception e) throws IOException {
        int status;
        String message;
        if (e instanceof RequestRejected r) {
            status = r.status();
            message = r.getMessage();
        } else if (e instanceof FlywheelException f) {
            status = f.code().httpStatus();
            message = f.getMessage();
        } else {
            status = 500;
            message = "internal error: " + e;
            log.error("request {} {} failed", ctx.method(), ctx.path(), e);
        }
        if (ctx.res().isCommitted()) {
            return;
        }
        if (status == 413) {
            // The rest of the body is not read; closing the connection stops the client from sending it.
            ctx.res().setHeader("Connection", "close");
        }
        send(ctx, status, Json.error(message));
    }

    private static void send(Context ctx, int status, byte[] body) throws IOException {
        send(ctx, status, JSON, body);
    }

    private static void send(Context ctx, int status, String contentType, byte[] body) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType(contentType);
        res.setContentLength(body.length);
        ServletOutputStream out = res.getOutputStream();
        out.write(body);
        out.flush();
    }

    private byte[] serverMetadata() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", "flywheel-serving");
            g.writeStringField("version", settings.serverVersion());
            g.writeArrayFieldStart("extensions");
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops accepting connections, waits up to {@code timeoutMillis} for in-flight requests, then stops Jetty.
     *
     * @return whether every in-flight request finished in time
     */
    public boolean stop(long timeoutMillis) {
        closing = true;
        if (app == null) {
            return true;
        }
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof NetworkConnector n) {
                n.close();
            }
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        boolean drained = true;
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                drained = false;
                log.warn("stopping with {} requests still in flight after {} ms", inFlight.get(), timeoutMillis);
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
                break;
            }
        }
        app.stop();
        return drained;
    }
}
