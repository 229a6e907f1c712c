package dev.flywheel.serving;

import dev.flywheel.predictionlog.PredictionLogSettings;

import java.nio.file.Path;

/**
 * Settings of a {@link PredictionServer}, filled in the lambda given to {@link PredictionServer#create} and frozen
 * when the server starts.
 */
public final class ServerConfig {
    /** The interface to bind; loopback by default so that only this machine (and its deployer) can reach it. */
    public String host = "127.0.0.1";
    /** The TCP port; 0 picks a free one, read it back with {@link PredictionServer#port()}. */
    public int port = 0;
    /**
     * The bearer token {@code /admin/*} endpoints require; {@code null} disables them (every call gets 403).
     */
    public String adminToken;
    /** Largest accepted request body in bytes; larger bodies get 413. */
    public long maxBodyBytes = 8L * 1024 * 1024;
    /** How long {@link PredictionServer#close()} waits for in-flight requests before stopping anyway. */
    public long shutdownTimeoutMillis = 30_000;
    /**
     * Worker threads. A worker is taken only once a request's whole body has arrived (bodies are read without a
     * thread), so slow clients do not hold workers.
     */
    public int maxThreads = 32;
    /**
     * Open connections accepted at once; past it the server stops accepting until some close, and idle connections
     * are cut after {@link #CAPPED_IDLE_TIMEOUT_MILLIS} so that new clients get in.
     */
    public int maxConnections = 1024;
    /** A connection on which nothing arrives or leaves for this long is closed. */
    public long idleTimeoutMillis = 30_000;
    /**
     * Time from a request's headers to the last byte of its body; a body still incomplete then gets 408 and the
     * connection is closed, however slowly it keeps trickling.
     */
    public long requestReadTimeoutMillis = 30_000;

    /** The idle timeout of every connection while {@link #maxConnections} are open. */
    public static final long CAPPED_IDLE_TIMEOUT_MILLIS = 1_000;
    /** Whether Jetty runs each request on a virtual thread instead of its worker pool. */
    public boolean virtualThreads = false;
    /**
     * The folder answered requests are logged to (hourly Parquet files, one sub-folder per model), or null for no
     * prediction log. The local deployer passes the project's {@code .flywheel/artifacts/predictions}.
     */
    public Path predictionLogDir;
    /** Share of requests logged, 0 < rate <= 1. */
    public double predictionLogSampleRate = 1.0;
    /** Requests waiting to be written at most; past it new ones are dropped and counted, never waited for. */
    public int predictionLogQueue = PredictionLogSettings.DEFAULT_QUEUE_CAPACITY;

    /**
     * The port of the Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}) on {@link #host};
     * 0 picks a free one (read it with {@link PredictionServer#grpcPort()}); {@code null}, the default, serves no gRPC.
     */
    public Integer grpcPort;

    /**
     * Adaptive batching: concurrent requests are joined into model calls of at most this many rows. 0 or 1 (the
     * default) scores each request alone. Worth it for models whose call costs much more than a row (ONNX).
     */
    public int batchMaxSize = 0;
    /** With batching on, how long a request waits at most for others to join its model call, in microseconds. */
    public long batchMaxWaitMicros = 500;

    /** A frozen copy, validated; errors name the setting and the accepted range. */
    Frozen freeze() {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be set (for example 127.0.0.1)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + maxBodyBytes);
        }
        if (shutdownTimeoutMillis < 0) {
            throw new IllegalArgumentException("shutdownTimeoutMillis must be >= 0, got " + shutdownTimeoutMillis);
        }
        if (maxThreads < 4) {
            throw new IllegalArgumentException("maxThreads must be >= 4, got " + maxThreads);
        }
        if (maxConnections < 8) {
            throw new IllegalArgumentException("maxConnections must be >= 8, got " + maxConnections);
        }
        if (idleTimeoutMillis < 100) {
            throw new IllegalArgumentException("idleTimeoutMillis must be >= 100, got " + idleTimeoutMillis);
        }
        if (requestReadTimeoutMillis < 100) {
            throw new IllegalArgumentException("requestReadTimeoutMillis must be >= 100, got " + requestReadTimeoutMillis);
        }
        if (grpcPort != null && (grpcPort < 0 || grpcPort > 65535)) {
            throw new IllegalArgumentException("grpcPort must be 0..65535 (0 = a free port), got " + grpcPort);
        }
        if (grpcPort != null && grpcPort != 0 && grpcPort == port) {
            throw new IllegalArgumentException("grpcPort must differ from port " + port + "; REST and gRPC listen on two ports");
        }
        dev.flywheel.serving.internal.BatchSettings batching;
        try {
            batching = new dev.flywheel.serving.internal.BatchSettings(batchMaxSize, batchMaxWaitMicros);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("batch max size", "batchMaxSize")
                    .replace("batch max wait", "batchMaxWaitMicros"));
        }
        if (adminToken != null && adminToken.isBlank()) {
            throw new IllegalArgumentException("adminToken must not be blank; leave it null to disable /admin");
        }
        PredictionLogSettings logSettings = predictionLogDir == null ? null
                : PredictionLogSettings.of(predictionLogDir)
                .withSampleRate(predictionLogSampleRate).withQueueCapacity(predictionLogQueue);
        return new Frozen(host, port, adminToken, maxBodyBytes, shutdownTimeoutMillis, maxThreads, virtualThreads,
                maxConnections, idleTimeoutMillis, requestReadTimeoutMillis, grpcPort, batching, logSettings);
    }

    record Frozen(String host, int port, String adminToken, long maxBodyBytes, long shutdownTimeoutMillis,
                  int maxThreads, boolean virtualThreads, int maxConnections, long idleTimeoutMillis,
                  long requestReadTimeoutMillis, Integer grpcPort, dev.flywheel.serving.internal.BatchSettings batching,
                  PredictionLogSettings predictionLog) {
    }
}
