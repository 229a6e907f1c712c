package dev.flywheel.serving.api;

import java.util.List;
import java.util.Objects;

/**
 * Counters of one version in one role since it took that role, as the server reports them: a controller subtracts
 * two reports to get an interval's numbers ({@link #minus}).
 *
 * @param version     the model version
 * @param role        its role
 * @param requests    prediction requests answered (or, for a shadow, mirrored requests scored or failed)
 * @param errors      of those, the ones that failed (HTTP status 5xx, or a shadow prediction that threw)
 * @param rejected    of those, the ones refused as bad input (HTTP 4xx)
 * @param latency     the latency histogram ({@link LatencyHistogram#BOUNDS_NANOS} buckets)
 * @param outputs     first-output values seen (rows answered)
 * @param outputSum   their sum
 * @param outputSumSq the sum of their squares
 */
public record RoleStats(int version, TrafficRole role, long requests, long errors, long rejected, List<Long> latency, long outputs,
                        double outputSum, double outputSumSq) {
    public RoleStats {
        Objects.requireNonNull(role, "role");
        latency = List.copyOf(latency);
    }

    /** This report's counts minus an earlier one's of the same version and role (a counter reset counts from zero). */
    public RoleStats minus(RoleStats earlier) {
        if (earlier == null || earlier.version != version || earlier.role != role || earlier.requests > requests) {
            return this;
        }
        Long[] buckets = new Long[latency.size()];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = latency.get(i) - (i < earlier.latency.size() ? earlier.latency.get(i) : 0);
        }
        return new RoleStats(version, role, requests - earlier.requests, errors - earlier.errors, rejected - earlier.rejected,
                List.of(buckets), outputs - earlier.outputs, outputSum - earlier.outputSum, outputSumSq - earlier.outputSumSq);
    }

    /** errors / requests, 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The latency at quantile {@code q} (upper bound of its bucket), in nanoseconds; 0 without requests. */
    public long latencyQuantileNanos(double q) {
        return LatencyHistogram.quantile(latency, q);
    }

    public double outputMean() {
        return outputs == 0 ? Double.NaN : outputSum / outputs;
    }

    public double outputStd() {
        if (outputs < 2) {
            return Double.NaN;
        }
        double mean = outputMean();
        return Math.sqrt(Math.max(0, outputSumSq / outputs - mean * mean));
    }
}
