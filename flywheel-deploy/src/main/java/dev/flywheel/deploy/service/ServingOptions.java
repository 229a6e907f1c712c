package dev.flywheel.deploy.service;

/**
 * What a running prediction server serves with beyond its REST port, as the server itself reported it at start.
 *
 * @param grpcPort           the port of the Open Inference Protocol over gRPC, or -1 when it serves no gRPC
 * @param batchMaxSize       adaptive batching: most rows per model call (0 or 1 = off)
 * @param batchMaxWaitMicros adaptive batching: most microseconds a request waits for others
 */
public record ServingOptions(int grpcPort, int batchMaxSize, long batchMaxWaitMicros) {
    /** "off", or "up to N rows per call, waiting at most U µs". */
    public String batching() {
        return batchMaxSize > 1 ? "up to " + batchMaxSize + " rows per model call, a request waits at most " + batchMaxWaitMicros + " µs"
                : "off";
    }
}
