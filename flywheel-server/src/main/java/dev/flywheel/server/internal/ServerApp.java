package dev.flywheel.server.internal;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.server.ServerSettings;
import dev.flywheel.server.ServerTokens;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Javalin application: guard, error mapping, API, OpenAPI + Swagger UI, dashboard, assets from webjars. */
public final class ServerApp {
    private static final Logger log = LoggerFactory.getLogger(ServerApp.class);
    static final String VERSION = versionOf();

    private final Flywheel flywheel;
    private final ServerSettings settings;
    private final Guard guard;
    private final EventFeed events;
    private final ApiRoutes api;
    private final UiRoutes ui;
    private final String openApi;
    private final Javalin javalin;
    private boolean stopped;

    public ServerApp(Flywheel flywheel, ServerSettings settings, ServerTokens tokens, AuditLog audit, Clock clock) {
        this.flywheel = flywheel;
        this.settings = settings;
        this.guard = new Guard(tokens, settings.loopback(), settings.maxBodyBytes(), audit, clock);
        this.events = new EventFeed(flywheel, EventFeed.EVERY);
        this.api = new ApiRoutes(flywheel, events);
        this.ui = new UiRoutes(flywheel);
        this.openApi = ApiJson.write(OpenApiDocument.of(api.endpoints(), VERSION));
        this.javalin = Javalin.create(this::configure);
    }

    public void start() {
        javalin.start();
    }

    public int port() {
        return javalin.port();
    }

    public synchronized void stop() {
        if (!stopped) {
            stopped = true;
            events.close(); // open event streams would hold the listener's graceful stop
            javalin.stop();
        }
    }

    private void configure(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.jetty.host = settings.host();
        cfg.jetty.port = settings.port();
        cfg.http.maxRequestSize = settings.maxBodyBytes();
        cfg.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
        cfg.staticFiles.enableWebjars();
        cfg.staticFiles.add(s -> {
            s.hostedPath = "/static";
            s.directory = "/flywheel-static";
            s.location = Location.CLASSPATH;
        });
        cfg.routes.before(guard::before);
        cfg.routes.after(guard::after);
        cfg.routes.exception(FlywheelException.class, (e, ctx) -> error(ctx, e.code(), e.getMessage(), e instanceof InvalidField f ? f.field() : null));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus() == 413 ? ErrorCode.TOO_LARGE
                : e.getStatus() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INVALID_ARGUMENT, e.getMessage(), null));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.error("request {} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ErrorCode.INTERNAL, "internal error: " + e + " (this is a bug in Flywheel; the server log has the stack trace)", null);
        });
        cfg.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, ErrorCode.NOT_FOUND, "no page or endpoint " + ctx.method() + " " + ctx.path() + "; the API is under "
                        + ApiRoutes.PREFIX + " (see " + ApiRoutes.PREFIX + "/openapi.json), the dashboard at /", null);
            }
        });
        cfg.routes.get(Guard.HEALTH, ctx -> ctx.json(Map.of("status", "ok", "version", VERSION)));
        cfg.routes.get(ApiRoutes.PREFIX + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        cfg.routes.get("/api/docs", ctx -> ctx.html(SwaggerPage.HTML));
        ui.register(cfg.routes);
        for (Endpoint e : api.endpoints()) {
            cfg.routes.addHttpHandler(e.method(), e.path(), e.handler());
        }
    }

    /** {@code {error_code, message}} (and {@code field} for a 400 about one field), with the status of the one ErrorCode table. */
    static void error(Context ctx, ErrorCode code, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.name());
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        ctx.status(code.httpStatus());
        ctx.json(body);
    }

    List<Endpoint> endpoints() {
        return api.endpoints();
    }

    private static String versionOf() {
        String v = ServerApp.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
