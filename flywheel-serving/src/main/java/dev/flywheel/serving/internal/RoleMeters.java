package dev.flywheel.serving.internal;

import dev.flywheel.formats.Predictions;
import dev.flywheel.serving.api.LatencyHistogram;
import dev.flywheel.serving.api.RoleStats;
import dev.flywheel.serving.api.ShadowStats;
import dev.flywheel.serving.api.TrafficRole;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One version's meters in one role: the Prometheus series (labelled with version and role) and the plain counters
 * a rollout's analysis reads through {@code /admin/traffic} (requests, errors, a latency histogram, the first
 * output's sum and sum of squares, and for a shadow the comparison with the champion). Lock-free on the request path.
 */
final class RoleMeters {
    private final int version;
    private final TrafficRole role;
    private final EndpointMeters endpoints;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BOUNDS_NANOS.length);
    private final LongAdder outputs = new LongAdder();
    private final DoubleAdder outputSum = new DoubleAdder();
    private final DoubleAdder outputSumSq = new DoubleAdder();
    private final LongAdder mirrored = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder compared = new LongAdder();
    private final DoubleAdder absDiffSum = new DoubleAdder();
    private final DoubleAdder absChampionSum = new DoubleAdder();

    RoleMeters(MeterRegistry registry, String model, int version, TrafficRole role) {
        this.version = version;
        this.role = role;
        this.endpoints = new EndpointMeters(registry, model, version, role);
    }

    /** Any endpoint's request, for the Prometheus series. */
    void record(Endpoint endpoint, long nanos, int status) {
        endpoints.record(endpoint, nanos, status);
    }

    /** A prediction request's end: the Prometheus series and the analysis counters. */
    void recordPrediction(Endpoint endpoint, long nanos, int status) {
        endpoints.record(endpoint, nanos, status);
        requests.increment();
        if (status >= 500) {
            errors.increment();
        } else if (status >= 400) {
            rejected.increment();
        }
        latency.incrementAndGet(LatencyHistogram.bucket(nanos));
    }

    void observe(Predictions p) {
        double sum = 0;
        double sq = 0;
        for (int r = 0; r < p.rows(); r++) {
            double y = p.get(r, 0);
            sum += y;
            sq += y * y;
        }
        outputs.add(p.rows());
        outputSum.add(sum);
        outputSumSq.add(sq);
    }

    void mirrored() {
        mirrored.increment();
    }

    void dropped() {
        dropped.increment();
    }

    /** The shadow's answers against the champion's, row by row on the first output. */
    void compare(Predictions champion, Predictions challenger) {
        int rows = Math.min(champion.rows(), challenger.rows());
        double diff = 0;
        double base = 0;
        for (int r = 0; r < rows; r++) {
            double c = champion.get(r, 0);
            diff += Math.abs(challenger.get(r, 0) - c);
            base += Math.abs(c);
        }
        compared.add(rows);
        absDiffSum.add(diff);
        absChampionSum.add(base);
    }

    RoleStats stats() {
        List<Long> buckets = new ArrayList<>(latency.length());
        for (int i = 0; i < latency.length(); i++) {
            buckets.add(latency.get(i));
        }
        return new RoleStats(version, role, requests.sum(), errors.sum(), rejected.sum(), buckets, outputs.sum(), outputSum.sum(),
                outputSumSq.sum());
    }

    ShadowStats shadowStats() {
        return new ShadowStats(mirrored.sum(), dropped.sum(), compared.sum(), absDiffSum.sum(), absChampionSum.sum());
    }
}
