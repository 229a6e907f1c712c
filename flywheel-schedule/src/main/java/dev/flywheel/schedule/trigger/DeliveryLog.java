package dev.flywheel.schedule.trigger;

import dev.flywheel.schedule.trigger.internal.InMemoryDeliveryLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The webhook delivery ids already accepted, for replay protection. Implementations must make
 * {@link #recordIfNew} atomic: of two concurrent calls with the same id, exactly one returns true.
 */
public interface DeliveryLog {

    /**
     * Records {@code deliveryId} as accepted at {@code receivedAt}.
     *
     * @return true if the id was new; false if it was already recorded (a replay)
     */
    boolean recordIfNew(String deliveryId, Instant receivedAt);

    /**
     * A log kept in memory (lost on restart) that forgets ids older than {@code retention} by {@code clock}.
     * Keep the retention longer than the webhook verifier's timestamp tolerance.
     */
    static DeliveryLog inMemory(Clock clock, Duration retention) {
        return new InMemoryDeliveryLog(clock, retention);
    }
}
