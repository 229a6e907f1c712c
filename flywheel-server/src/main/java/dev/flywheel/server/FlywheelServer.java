package dev.flywheel.server;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.server.internal.AuditLog;
import dev.flywheel.server.internal.ServerApp;

import java.net.URI;
import java.time.Clock;

/**
 * The Flywheel server: the REST API under {@code /api/v1}, its OpenAPI document and Swagger UI, and the dashboard, on one
 * project's {@link Flywheel} handle. It holds no logic: every request is one call of a facade the CLI calls too.
 *
 * <pre>{@code
 * try (Flywheel flywheel = Flywheel.open();
 *      FlywheelServer server = FlywheelServer.start(flywheel, ServerSettings.defaults(), Clock.systemUTC())) {
 *     System.out.println(server.url());
 * }
 * }</pre>
 *
 * Closing stops the listener (requests in flight finish); it does not close the {@link Flywheel} handle. Safe to
 * close twice.
 */
public final class FlywheelServer implements AutoCloseable {
    private final ServerApp app;
    private final ServerSettings settings;

    private FlywheelServer(ServerApp app, ServerSettings settings) {
        this.app = app;
        this.settings = settings;
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @throws FlywheelException UNAVAILABLE when the port is taken or the address cannot be bound
     */
    public static FlywheelServer start(Flywheel flywheel, ServerSettings settings, Clock clock) {
        ServerTokens tokens = new ServerTokens(flywheel.home().dir(), clock);
        AuditLog audit = new AuditLog(auditFile(flywheel));
        ServerApp app = new ServerApp(flywheel, settings, tokens, audit, clock);
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + rootMessage(e) + "); is another server on that port? Choose another with --port", e);
        }
        return new FlywheelServer(app, settings);
    }

    /** Where the server records every change asked of it. */
    public static java.nio.file.Path auditFile(Flywheel flywheel) {
        return flywheel.home().dir().resolve("server").resolve("audit.log");
    }

    public int port() {
        return app.port();
    }

    /** The dashboard's URL; the API is under {@code url + "api/v1/"}. */
    public URI url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public ServerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
