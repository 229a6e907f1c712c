package dev.flywheel.schedule.trigger.internal;

import dev.flywheel.schedule.trigger.DeliveryLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Ids in a map plus a queue in arrival order, pruned on each call. Synchronized: calls are rare and short. */
public final class InMemoryDeliveryLog implements DeliveryLog {
    private final Clock clock;
    private final Duration retention;
    private final Map<String, Instant> seen = new HashMap<>();
    private final Deque<Map.Entry<String, Instant>> order = new ArrayDeque<>();

    public InMemoryDeliveryLog(Clock clock, Duration retention) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
    }

    @Override
    public synchronized boolean recordIfNew(String deliveryId, Instant receivedAt) {
        Instant horizon = clock.instant().minus(retention);
        while (!order.isEmpty() && order.peekFirst().getValue().isBefore(horizon)) {
            Map.Entry<String, Instant> old = order.pollFirst();
            seen.remove(old.getKey(), old.getValue());
        }
        if (seen.putIfAbsent(deliveryId, receivedAt) != null) {
            return false;
        }
        order.addLast(Map.entry(deliveryId, receivedAt));
        return true;
    }
}
