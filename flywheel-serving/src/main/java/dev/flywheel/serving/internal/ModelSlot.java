package dev.flywheel.serving.internal;

import dev.flywheel.serving.api.TrafficRole;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The versions being served, as one {@link Routing}. A request {@link #acquire acquires} the version that answers it
 * and uses it from start to end; every change ({@link #replace}, {@link #route}) switches with one atomic write, so
 * no request ever sees two routings. The slot holds one reference on each version of its routing; a version leaving
 * the routing closes once its last request ends.
 */
public final class ModelSlot {
    private final AtomicReference<Routing> current;

    public ModelSlot(ServedModel first) {
        this.current = new AtomicReference<>(new Routing.Single(first));
    }

    /** The champion with a reference taken (endpoints that are not routed), or {@code null} once retired. */
    public ServedModel acquire() {
        for (;;) {
            Routing r = current.get();
            if (r.champion().tryAcquire()) {
                return r.champion();
            }
            if (current.get() == r) {
                return null;
            }
        }
    }

    /**
     * The version answering a request with routing key {@code key} (sticky: one key gets one version of a routing;
     * null = a random bucket), with references taken, or {@code null} once the slot is {@link #retire() retired}.
     */
    public Lease acquire(String key) {
        for (;;) {
            Routing r = current.get();
            Lease lease = switch (r) {
                case Routing.Single s -> s.champion().tryAcquire() ? new Lease(s.champion(), TrafficRole.CHAMPION, null) : null;
                case Routing.Canary c -> {
                    boolean challenger = bucket(key) < c.weight();
                    ServedModel m = challenger ? c.challenger() : c.champion();
                    yield m.tryAcquire() ? new Lease(m, challenger ? TrafficRole.CANARY : TrafficRole.CHAMPION, null) : null;
                }
                case Routing.Shadow s -> {
                    if (!s.champion().tryAcquire()) {
                        yield null;
                    }
                    boolean mirror = ThreadLocalRandom.current().nextInt(100) < s.weight() && s.challenger().tryAcquire();
                    yield new Lease(s.champion(), TrafficRole.CHAMPION, mirror ? s.challenger() : null);
                }
            };
            if (lease != null) {
                return lease;
            }
            // Closed: either a switch replaced it in between (look again) or the server is shutting down.
            if (current.get() == r) {
                return null;
            }
        }
    }

    /**
     * The version numbered {@code version} when the routing serves it (a request naming its version is answered by
     * it, whatever its key), else the version for {@code key}.
     */
    public Lease acquire(String key, int version) {
        for (;;) {
            Routing r = current.get();
            ServedModel pinned = null;
            TrafficRole role = TrafficRole.CHAMPION;
            for (ServedModel m : members(r)) {
                if (m.spec().version() == version) {
                    pinned = m;
                    role = m == r.champion() ? TrafficRole.CHAMPION : r instanceof Routing.Shadow ? TrafficRole.SHADOW : TrafficRole.CANARY;
                }
            }
            if (pinned == null) {
                return acquire(key);
            }
            if (pinned.tryAcquire()) {
                return new Lease(pinned, role, null);
            }
            if (current.get() == r) {
                return null;
            }
        }
    }

    /** The key's bucket, 0 to 99: a stable mix of its hash, so neighbouring keys spread evenly. */
    static int bucket(String key) {
        if (key == null) {
            return ThreadLocalRandom.current().nextInt(100);
        }
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, 100);
    }

    public void release(ServedModel model) {
        model.release();
    }

    /** The champion, without a reference: for status pages only, never for predicting. */
    public ServedModel peek() {
        return current.get().champion();
    }

    /** The routing in force, without references: for reports only. */
    Routing routing() {
        return current.get();
    }

    /** Makes {@code next} the only version and drops the slot's reference to the previous one. */
    public ServedModel replace(ServedModel next) {
        Routing single = new Routing.Single(next);
        Routing previous = current.getAndSet(single);
        releaseAll(previous, single);
        return previous.champion();
    }

    /** Switches to {@code next}; versions of the previous routing not in {@code next} lose the slot's reference. */
    void route(Routing next) {
        Routing previous = current.getAndSet(next);
        releaseAll(previous, next);
    }

    private static void releaseAll(Routing previous, Routing next) {
        for (ServedModel m : members(previous)) {
            if (!members(next).contains(m)) {
                m.release();
            }
        }
    }

    private static java.util.List<ServedModel> members(Routing r) {
        return switch (r) {
            case Routing.Single s -> java.util.List.of(s.champion());
            case Routing.Canary c -> java.util.List.of(c.champion(), c.challenger());
            case Routing.Shadow s -> java.util.List.of(s.champion(), s.challenger());
        };
    }

    /** Drops the slot's references; each version closes once its last request finishes. */
    public void retire() {
        for (ServedModel m : members(current.get())) {
            m.release();
        }
    }
}
