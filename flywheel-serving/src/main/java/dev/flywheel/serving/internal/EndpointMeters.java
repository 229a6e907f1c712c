package dev.flywheel.serving.internal;

import dev.flywheel.serving.api.TrafficRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one model version, created once when the version loads so the request path only indexes an
 * array: a latency timer (count + histogram) and an error counter per endpoint, labelled with the version and the
 * role it plays (champion, canary, shadow).
 */
public final class EndpointMeters {
    private final Timer[] latency;
    private final Counter[] errors;

    public EndpointMeters(MeterRegistry registry, String model, int version, TrafficRole role) {
        Endpoint[] endpoints = Endpoint.values();
        latency = new Timer[endpoints.length];
        errors = new Counter[endpoints.length];
        String v = Integer.toString(version);
        for (Endpoint e : endpoints) {
            latency[e.ordinal()] = Timer.builder("flywheel.serving.requests")
                    .description("Requests answered, with latency")
                    .tags("model", model, "version", v, "role", role.label(), "protocol", e.protocol, "endpoint", e.tagName)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            errors[e.ordinal()] = Counter.builder("flywheel.serving.errors")
                    .description("Requests answered with a 4xx or 5xx status")
                    .tags("model", model, "version", v, "role", role.label(), "protocol", e.protocol, "endpoint", e.tagName)
                    .register(registry);
        }
    }

    void record(Endpoint endpoint, long nanos, int status) {
        latency[endpoint.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 400) {
            errors[endpoint.ordinal()].increment();
        }
    }
}
