package dev.flywheel.serving.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The current model version. A request {@link #acquire() acquires} one version and uses it from start to end;
 * {@link #replace} switches with one atomic write, so no request ever sees two versions.
 */
public final class ModelSlot {
    private final AtomicReference<ServedModel> current;

    public ModelSlot(ServedModel first) {
        this.current = new AtomicReference<>(first);
    }

    /** The current version with a reference taken, or {@code null} once the slot is {@link #retire() retired}. */
    public ServedModel acquire() {
        for (;;) {
            ServedModel model = current.get();
            if (model.tryAcquire()) {
                return model;
            }
            // Closed: either a swap replaced it in between (look again) or the server is shutting down.
            if (current.get() == model) {
                return null;
            }
        }
    }

    public void release(ServedModel model) {
        model.release();
    }

    /** The current version, without a reference: for status pages only, never for predicting. */
    public ServedModel peek() {
        return current.get();
    }

    /** Makes {@code next} current and drops the slot's reference to the previous version. */
    public ServedModel replace(ServedModel next) {
        ServedModel previous = current.getAndSet(next);
        previous.release();
        return previous;
    }

    /** Drops the slot's reference to the current version; it closes once its last request finishes. */
    public void retire() {
        current.get().release();
    }
}
