package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.internal.GrpcServer;
import dev.flywheel.serving.internal.HotSwap;
import dev.flywheel.serving.internal.HttpApi;
import dev.flywheel.serving.internal.Json;
import dev.flywheel.serving.internal.ModelLoader;
import dev.flywheel.serving.internal.ModelSlot;
import dev.flywheel.serving.internal.PredictionLogHook;
import dev.flywheel.serving.internal.Scoring;
import dev.flywheel.serving.internal.ServedModel;
import dev.flywheel.serving.internal.Traffic;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.predictionlog.PredictionLogStats;
import dev.flywheel.predictionlog.PredictionLogs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An HTTP server for one model: Open Inference Protocol v2 ({@code /v2/...}), MLflow scoring
 * ({@code /invocations}), Prometheus metrics ({@code /metrics}) and token-protected hot swap ({@code /admin/swap}).
 *
 * <pre>{@code
 * try (PredictionServer server = PredictionServer.create(cfg -> cfg.adminToken = token).start(spec)) {
 *     URI infer = URI.create("http://127.0.0.1:" + server.port() + "/v2/models/bike/infer");
 *     server.swap(nextSpec);   // new requests answered by the next version, none dropped
 * }
 * }</pre>
 *
 * <p>Guarantees: a request is answered by exactly one version (named in the {@code X-Model-Version} header);
 * a swap that fails to load or warm up leaves the previous version serving; {@link #close()} stops accepting,
 * lets in-flight requests finish, then closes the model, and is safe to call twice. Methods are thread-safe.
 */
public final class PredictionServer implements AutoCloseable {
    /** The server's own version, reported by {@code GET /v2} and {@code GET /version}. */
    public static final String VERSION = "0.1.0";
    private static final Logger log = LoggerFactory.getLogger(PredictionServer.class);

    private final ServerConfig.Frozen config;
    private final ClassLoader formatLoader;
    private ModelSlot slot;
    private HotSwap swap;
    private Traffic traffic;
    private Scoring scoring;
    private HttpApi http;
    private PredictionLog predictionLog = PredictionLog.disabled();
    private GrpcServer grpc;
    private int port = -1;
    private int grpcPort = -1;
    private boolean closed;

    private PredictionServer(ServerConfig.Frozen config, ClassLoader formatLoader) {
        this.config = config;
        this.formatLoader = formatLoader;
    }

    /** A server configured by {@code configure}; nothing is bound until {@link #start}. */
    public static PredictionServer create(Consumer<ServerConfig> configure) {
        ServerConfig cfg = new ServerConfig();
        configure.accept(cfg);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new PredictionServer(cfg.freeze(), loader == null ? PredictionServer.class.getClassLoader() : loader);
    }

    /**
     * Loads and warms up {@code spec}, then binds and serves it.
     *
     * @throws dev.flywheel.sdk.FlywheelException INVALID_MODEL if the model does not load or warm up (nothing is bound),
     *         INVALID_ARGUMENT for an unknown format
     * @throws IllegalStateException if called twice
     */
    public synchronized PredictionServer start(ModelVersionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (slot != null || closed) {
            throw new IllegalStateException("a PredictionServer starts once; create another one");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelLoader loader = new ModelLoader(dev.flywheel.formats.ModelFormats.load(formatLoader), registry, Clock.systemUTC(),
                config.batching());
        ServedModel first = loader.load(spec);
        slot = new ModelSlot(first);
        swap = new HotSwap(slot, loader);
        traffic = new Traffic(slot);
        scoring = new Scoring(traffic);
        if (config.predictionLog() != null) {
            predictionLog = PredictionLogs.open(config.predictionLog());
            meterPredictionLog(registry, predictionLog);
            scoring.addHook(new PredictionLogHook(predictionLog));
        }
        http = new HttpApi(new HttpApi.Settings(config.host(), config.port(), config.adminToken(), config.maxBodyBytes(),
                config.maxThreads(), config.virtualThreads(), VERSION, config.maxConnections(), config.idleTimeoutMillis(),
                config.requestReadTimeoutMillis(), ServerConfig.CAPPED_IDLE_TIMEOUT_MILLIS), slot, scoring, swap, registry,
                this::statusJson);
        try {
            port = http.start();
            if (config.grpcPort() != null) {
                grpc = new GrpcServer(new GrpcServer.Settings(config.host(), config.grpcPort(), config.maxThreads(),
                        config.maxBodyBytes(), config.idleTimeoutMillis(), VERSION), slot, scoring);
                grpcPort = grpc.start();
            }
        } catch (RuntimeException e) {
            http.stop(0);
            traffic.close();
            swap.close();
            predictionLog.close();
            throw e;
        }
        log.info("serving model={} version={} format={} on {}:{}{}", spec.modelName(), spec.version(), spec.format(),
                config.host(), port, grpc == null ? "" : " (gRPC on port " + grpcPort + ")");
        return this;
    }

    private static void meterPredictionLog(PrometheusMeterRegistry registry, PredictionLog log) {
        FunctionCounter.builder("flywheel_prediction_log_logged_rows", log, l -> l.stats().writtenRows())
                .description("rows written to the prediction log").register(registry);
        FunctionCounter.builder("flywheel_prediction_log_dropped_requests", log, l -> l.stats().dropped())
                .description("requests the prediction log lost (queue full or a failed write)").register(registry);
        FunctionCounter.builder("flywheel_prediction_log_dropped_rows", log, l -> l.stats().droppedRows())
                .description("input rows of the requests the prediction log lost").register(registry);
        FunctionCounter.builder("flywheel_prediction_log_sampled_out_requests", log, l -> l.stats().sampledOut())
                .description("requests left out of the prediction log by its sample rate").register(registry);
    }

    /** Counters of the prediction log (all zero when it is off). */
    public PredictionLogStats predictionLogStats() {
        return predictionLog.stats();
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("the server is not started");
        }
        return port;
    }

    /** The bound gRPC port, or -1 when the server serves no gRPC ({@link ServerConfig#grpcPort} unset). */
    public synchronized int grpcPort() {
        if (port < 0) {
            throw new IllegalStateException("the server is not started");
        }
        return grpcPort;
    }

    /**
     * Loads {@code spec} beside the current version, warms it up, switches atomically, and closes the previous
     * version once its in-flight requests finish.
     *
     * @throws dev.flywheel.sdk.FlywheelException INVALID_MODEL when the new version fails to load or warm up (the
     *         old one keeps serving), CONFLICT for a different model name
     */
    public ServerStatus swap(ModelVersionSpec spec) {
        HotSwap s;
        synchronized (this) {
            if (swap == null) {
                throw new IllegalStateException("the server is not started");
            }
            s = swap;
        }
        return status(s.swap(spec));
    }

    /**
     * Changes the traffic between the champion and a challenger with one switch (what {@code POST /admin/traffic}
     * does): a split loads a new challenger beside first; promote makes it the only version; abort sends everything
     * back to the champion.
     *
     * @throws dev.flywheel.sdk.FlywheelException INVALID_MODEL when the challenger does not load (nothing changes),
     *         CONFLICT for a promote without a challenger or a challenger of another model
     */
    public TrafficReport traffic(TrafficCommand command) {
        HotSwap s;
        synchronized (this) {
            if (swap == null) {
                throw new IllegalStateException("the server is not started");
            }
            s = swap;
        }
        s.apply(command);
        return traffic.report();
    }

    /** The routing in force and each version's counters in its role (what {@code GET /admin/traffic} answers). */
    public synchronized TrafficReport trafficReport() {
        if (traffic == null) {
            throw new IllegalStateException("the server is not started");
        }
        return traffic.report();
    }

    public synchronized ServerStatus status() {
        if (slot == null) {
            throw new IllegalStateException("the server is not started");
        }
        return status(slot.peek());
    }

    private ServerStatus status(ServedModel m) {
        ModelVersionSpec spec = m.spec();
        return new ServerStatus(spec.modelName(), spec.version(), spec.format(), spec.modelFile(), m.loadedAt(),
                http == null ? 0 : http.inFlight());
    }

    private byte[] statusJson(ServedModel m) {
        ServerStatus s = status(m);
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("modelName", s.modelName());
            g.writeNumberField("version", s.version());
            g.writeStringField("format", s.format());
            g.writeStringField("modelFile", s.modelFile().toString());
            g.writeStringField("loadedAt", s.loadedAt().toString());
            g.writeNumberField("inFlightRequests", s.inFlightRequests());
            g.writeEndObject();
        });
    }

    /** Stops accepting, lets in-flight requests finish (up to the configured timeout), then closes the model. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Both listeners stop accepting first, then both drain at once against one deadline, so a close with calls
        // in flight on gRPC and REST takes the shutdown timeout at most, not twice that.
        long deadline = System.nanoTime() + config.shutdownTimeoutMillis() * 1_000_000L;
        if (grpc != null) {
            grpc.refuseNewCalls();
        }
        if (http != null) {
            http.refuseNewRequests();
        }
        if (grpc != null) {
            grpc.drain(deadline);
        }
        if (http != null) {
            http.drain(deadline);
        }
        // Everything answered is queued by now: write it and seal the hour's file before the process ends.
        predictionLog.close();
        if (swap != null) {
            traffic.close();
            swap.close();
            log.info("stopped serving model={}", slot.peek().spec().modelName());
        }
    }
}
