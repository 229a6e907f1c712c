package dev.flywheel.serving.internal;

import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.serving.api.SwapCodec;
import dev.flywheel.serving.api.TrafficCodec;
import dev.flywheel.formats.FeatureBatch;
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
    private final Scoring scoring;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] adminTokenBytes;
    /** Path pattern -> the methods it serves, filled while routes are registered. */
    private final Map<String, Set<HandlerType>> allowed = new LinkedHashMap<>();
    private volatile boolean closing;
    private Javalin app;

    public HttpApi(Settings settings, ModelSlot slot, Scoring scoring, HotSwap swap, PrometheusMeterRegistry registry,
                   Function<ServedModel, byte[]> status) {
        this.scoring = scoring;
        this.settings = settings;
        this.slot = slot;
        this.swap = swap;
        this.registry = registry;
        this.status = status;
        this.adminTokenBytes = settings.adminToken() == null ? null : settings.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ScoredHandler {
        void handle(Context ctx, ScoreCall call) throws Exception;
    }

    @FunctionalInterface
    private interface ModelHandler {
        void handle(Context ctx, ServedModel model) throws Exception;
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
        ModelHandler metadata = (ctx, m) -> {
            checkModel(ctx, m);
            send(ctx, 200, OipCodec.writeMetadata(m));
        };
        ModelHandler ready = (ctx, m) -> {
            checkModel(ctx, m);
            send(ctx, 200, Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("name", m.spec().modelName());
                g.writeBooleanField("ready", true);
                g.writeEndObject();
            }));
        };
        ScoredHandler infer = (ctx, call) -> send(ctx, 200, scoring.score(call, versionHeader(ctx),
                m -> OipCodec.read(readBody(ctx), m.spec().signature(), m.spec().modelName()), OipCodec::writeInfer));
        route(r, HandlerType.GET, "/v2/models/{m}", model(Endpoint.V2_MODEL_METADATA, metadata));
        route(r, HandlerType.GET, "/v2/models/{m}/versions/{v}", model(Endpoint.V2_MODEL_METADATA, metadata));
        route(r, HandlerType.GET, "/v2/models/{m}/ready", model(Endpoint.V2_MODEL_READY, ready));
        route(r, HandlerType.GET, "/v2/models/{m}/versions/{v}/ready", model(Endpoint.V2_MODEL_READY, ready));
        route(r, HandlerType.POST, "/v2/models/{m}/infer", scored(Endpoint.V2_INFER, infer));
        route(r, HandlerType.POST, "/v2/models/{m}/versions/{v}/infer", scored(Endpoint.V2_INFER, infer));

        route(r, HandlerType.GET, "/ping", plain(Endpoint.MLFLOW_HEALTH, ctx -> send(ctx, 200, "text/plain", bytes("\n"))));
        route(r, HandlerType.GET, "/health", plain(Endpoint.MLFLOW_HEALTH, ctx -> send(ctx, 200, "text/plain", bytes("\n"))));
        route(r, HandlerType.GET, "/version", plain(Endpoint.MLFLOW_VERSION, ctx -> send(ctx, 200, "text/plain", bytes(settings.serverVersion()))));
        route(r, HandlerType.POST, "/invocations", scored(Endpoint.MLFLOW_INVOCATIONS, (ctx, call) -> {
            // MLflow's endpoint names no model: it is whichever this server serves.
            ScoreCall any = new ScoreCall(call.endpoint(), slot.peek().spec().modelName(), null, call.requestId(), call.startNanos(),
                    call.clientKey());
            send(ctx, 200, scoring.score(any, versionHeader(ctx), m -> {
                String type = ctx.req().getContentType();
                String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
                FeatureBatch batch = switch (mime) {
                    case JSON -> MlflowCodec.readJson(readBody(ctx), m.spec().signature());
                    case "text/csv" -> MlflowCodec.readCsv(readBody(ctx), m.spec().signature());
                    default -> throw new RequestRejected(415, "unsupported Content-Type '" + (type == null ? "" : type)
                            + "' for /invocations; send application/json or text/csv");
                };
                return new MlflowCodec.Rows(batch);
            }, (m, rows, p) -> MlflowCodec.writePredictions(m, p)));
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
        route(r, HandlerType.GET, ServingProtocol.TRAFFIC_PATH, plain(Endpoint.ADMIN_TRAFFIC, ctx -> {
            authorize(ctx);
            send(ctx, 200, TrafficCodec.write(scoring.traffic().report()));
        }));
        route(r, HandlerType.POST, ServingProtocol.TRAFFIC_PATH, plain(Endpoint.ADMIN_TRAFFIC, ctx -> {
            authorize(ctx);
            swap.apply(TrafficCodec.readCommand(readBody(ctx)));
            ctx.header(VERSION_HEADER, slot.peek().versionText());
            send(ctx, 200, TrafficCodec.write(scoring.traffic().report()));
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

    /** The client's request id when it is sane, one made here when there is none; 400 for one that is not. */
    private static String requestId(Context ctx) {
        String given = ctx.req().getHeader(REQUEST_ID_HEADER);
        if (given == null || given.isEmpty()) {
            return RequestIds.next();
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

    /** Sets the answering version's header as soon as the request is routed, so errors name it too. */
    /** Names the version that answers, and its role (champion, canary), errors included. */
    private static java.util.function.Consumer<Lease> versionHeader(Context ctx) {
        return lease -> {
            ctx.res().setHeader(VERSION_HEADER, lease.model().versionText());
            ctx.res().setHeader(ServingProtocol.MODEL_ROLE_HEADER, lease.role().label());
        };
    }

    /**
     * A prediction endpoint: counted for graceful shutdown; {@link Scoring} routes, scores and records the metrics,
     * this shell maps failures to HTTP answers.
     */
    private Handler scored(Endpoint endpoint, ScoredHandler handler) {
        return ctx -> {
            long start = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                if (closing) {
                    ctx.res().setHeader("Connection", "close");
                }
                try {
                    String id = requestId(ctx);
                    ctx.res().setHeader(REQUEST_ID_HEADER, id);
                    handler.handle(ctx, new ScoreCall(endpoint, ctx.pathParamMap().getOrDefault("m", ""),
                            ctx.pathParamMap().get("v"), id, start, ctx.req().getHeader(ServingProtocol.CLIENT_HEADER)));
                } catch (Exception e) {
                    fail(ctx, e);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        };
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
                    handler.handle(ctx, m);
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
        Scoring.checkTarget(new ScoreCall(Endpoint.V2_MODEL_METADATA, ctx.pathParam("m"), ctx.pathParamMap().get("v"), null, 0), m);
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
        refuseNewRequests();
        return drain(System.nanoTime() + timeoutMillis * 1_000_000L);
    }

    /** Stops accepting connections and marks answers {@code Connection: close}; requests in flight go on. */
    public void refuseNewRequests() {
        closing = true;
        if (app == null) {
            return;
        }
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof NetworkConnector n) {
                n.close();
            }
        }
    }

    /**
     * Waits until {@code deadlineNanos} ({@link System#nanoTime()}) for the requests in flight, then stops Jetty.
     *
     * @return whether every in-flight request finished in time
     */
    public boolean drain(long deadlineNanos) {
        if (app == null) {
            return true;
        }
        boolean drained = true;
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadlineNanos > 0) {
                drained = false;
                log.warn("stopping with {} requests still in flight at the shutdown deadline", inFlight.get());
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
