package dev.flywheel.serving.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ModelVersionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the served version without dropping a request: the new version loads and warms up while the old one
 * serves, then one atomic write switches, and the old version closes once its in-flight requests finish. A
 * version that fails to load leaves the old one serving. Swaps run one at a time.
 */
public final class HotSwap {
    private static final Logger log = LoggerFactory.getLogger(HotSwap.class);
    private final ModelSlot slot;
    private final ModelLoader loader;
    private boolean closed;

    public HotSwap(ModelSlot slot, ModelLoader loader) {
        this.slot = slot;
        this.loader = loader;
    }

    public synchronized ServedModel swap(ModelVersionSpec spec) {
        if (closed) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "the server is shutting down; swap refused");
        }
        ServedModel current = slot.peek();
        String served = current.spec().modelName();
        if (!spec.modelName().equals(served)) {
            throw FlywheelException.conflict("this server serves model '" + served + "', not '" + spec.modelName()
                    + "'; start another server for a different model");
        }
        ServedModel next;
        try {
            next = loader.load(spec);
        } catch (FlywheelException e) {
            log.warn("swap rejected, keeping model={} version={}: {}", served, current.spec().version(), e.getMessage());
            throw e;
        }
        slot.replace(next);
        log.info("swapped model={} from version={} to version={}", served, current.spec().version(), spec.version());
        return next;
    }

    /** Refuses further swaps and drops the slot's reference to the last version. */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            slot.retire();
        }
    }
}
