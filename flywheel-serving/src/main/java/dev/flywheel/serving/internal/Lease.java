package dev.flywheel.serving.internal;

import dev.flywheel.serving.api.TrafficRole;

/**
 * One request's hold on the version that answers it (and, when shadowing, on the challenger its request is mirrored
 * to): taken by {@link ModelSlot#acquire}, given back by {@link Traffic#finish}. Used by one request thread.
 */
public final class Lease {
    private final ServedModel model;
    private final TrafficRole role;
    private ServedModel mirror;

    Lease(ServedModel model, TrafficRole role, ServedModel mirror) {
        this.model = model;
        this.role = role;
        this.mirror = mirror;
    }

    public ServedModel model() {
        return model;
    }

    public TrafficRole role() {
        return role;
    }

    /** The shadow challenger's reference, handed over (null when there is none or it was taken). */
    ServedModel takeMirror() {
        ServedModel m = mirror;
        mirror = null;
        return m;
    }
}
