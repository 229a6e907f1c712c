package dev.flywheel.schedule.store;

import dev.flywheel.schedule.trigger.DeliveryLog;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * The accepted webhook deliveries of one trigger, in the metadata store: survives restarts and is shared by every
 * scheduler on the store. Atomic through the table's primary key (an INSERT that does nothing on a duplicate).
 */
public final class DbDeliveryLog implements DeliveryLog {
    private final MetadataStore store;
    private final String triggerId;

    public DbDeliveryLog(MetadataStore store, String triggerId) {
        this.store = store;
        this.triggerId = triggerId;
    }

    @Override
    public boolean recordIfNew(String deliveryId, Instant receivedAt) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (trigger_id, delivery_id, received_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (trigger_id, delivery_id) DO NOTHING")) {
                ps.setString(1, triggerId);
                ps.setString(2, deliveryId);
                ps.setLong(3, receivedAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }
}
