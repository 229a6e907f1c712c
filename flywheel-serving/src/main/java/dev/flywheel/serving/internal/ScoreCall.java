package dev.flywheel.serving.internal;

/**
 * One prediction request as a transport (REST or gRPC) hands it to {@link Scoring}, before its body is decoded.
 *
 * @param endpoint   the endpoint, for metrics
 * @param modelName  the model the client named
 * @param version    the version the client named, or {@code null} for whichever is served
 * @param requestId  the request's id (the client's, or one the transport made), or {@code null}
 * @param startNanos {@link System#nanoTime()} when the request arrived, for latency
 */
public record ScoreCall(Endpoint endpoint, String modelName, String version, String requestId, long startNanos) {
}
