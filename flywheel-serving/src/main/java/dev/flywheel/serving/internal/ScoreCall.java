package dev.flywheel.serving.internal;

/**
 * One prediction request as a transport (REST or gRPC) hands it to {@link Scoring}, before its body is decoded.
 *
 * @param endpoint   the endpoint, for metrics
 * @param modelName  the model the client named
 * @param version    the version the client named, or {@code null} for whichever is served
 * @param requestId  the request's id (the client's, or one the transport made), or {@code null}
 * @param startNanos {@link System#nanoTime()} when the request arrived, for latency
 * @param clientKey  the caller's key for sticky canary routing ({@code X-Flywheel-Client}), or {@code null}
 */
public record ScoreCall(Endpoint endpoint, String modelName, String version, String requestId, long startNanos, String clientKey) {
    /** A call without a client key: routed by its request id. */
    public ScoreCall(Endpoint endpoint, String modelName, String version, String requestId, long startNanos) {
        this(endpoint, modelName, version, requestId, startNanos, null);
    }

    /** What a canary routes by: the client's key, else the request's id, else nothing (a random bucket). */
    public String routingKey() {
        return clientKey != null ? clientKey : requestId;
    }
}
