package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.serving.api.ShadowStats;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.serving.api.TrafficRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one scoring entry point of every protocol (OIP and MLflow over HTTP, and any other front end): a request
 * {@link #acquire acquires} the version its routing key is routed to, {@link #predict predicts} with it (handing a
 * copy to the shadow challenger when mirrored), and {@link #finish finishes}, which records its role's metrics and
 * releases what it held. Mirroring runs on a small bounded executor: a full queue drops the mirror (and counts it),
 * so a shadow never delays, changes or fails the champion's answer.
 */
public final class Traffic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Traffic.class);
    /** Mirrors waiting at most; beyond it they are dropped rather than queue memory or delay. */
    static final int MIRROR_QUEUE = 256;

    private final ModelSlot slot;
    private final ThreadPoolExecutor mirror;

    public Traffic(ModelSlot slot) {
        this.slot = slot;
        this.mirror = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MIRROR_QUEUE),
                Thread.ofPlatform().daemon().name("shadow-mirror").factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** The version for routing key {@code key} (null: a random bucket), or null when the server is shutting down. */
    public Lease acquire(String key) {
        return slot.acquire(key);
    }

    /** The version numbered {@code version} when it is served, else as {@link #acquire(String)}. */
    public Lease acquire(String key, int version) {
        return slot.acquire(key, version);
    }

    /** Predicts with the lease's version; a mirrored request is copied to the shadow challenger off this thread. */
    public Predictions predict(Lease lease, FeatureBatch batch) {
        ServedModel m = lease.model();
        Predictions p = m.predict(batch);
        if (p.rows() != batch.rows()) {
            throw new IllegalStateException("model returned " + p.rows() + " rows for " + batch.rows() + " input rows");
        }
        m.meters(lease.role()).observe(p);
        ServedModel shadow = lease.takeMirror();
        if (shadow != null) {
            mirror(shadow, batch, p);
        }
        return p;
    }

    private void mirror(ServedModel shadow, FeatureBatch batch, Predictions champion) {
        Mirror task = new Mirror(shadow, batch, champion);
        try {
            mirror.execute(task);
            task.meters().mirrored();
        } catch (RejectedExecutionException full) {
            task.drop();
        }
    }

    /** One mirrored request: scored by the shadow, compared with the champion's answer, counted, released. */
    private record Mirror(ServedModel shadow, FeatureBatch batch, Predictions champion) implements Runnable {
        RoleMeters meters() {
            return shadow.meters(TrafficRole.SHADOW);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            int status = 200;
            try {
                Predictions p = shadow.predict(batch);
                meters().observe(p);
                meters().compare(champion, p);
            } catch (RuntimeException e) {
                status = 500;
                log.debug("shadow version={} failed: {}", shadow.versionText(), e.toString());
            } finally {
                meters().recordPrediction(Endpoint.V2_INFER, System.nanoTime() - start, status);
                shadow.release();
            }
        }

        void drop() {
            meters().dropped();
            shadow.release();
        }
    }

    /** Records the request in its role's metrics and releases everything the lease held. */
    public void finish(Lease lease, Endpoint endpoint, long nanos, int status, boolean prediction) {
        ServedModel m = lease.model();
        RoleMeters meters = m.meters(lease.role());
        if (prediction) {
            meters.recordPrediction(endpoint, nanos, status);
        } else {
            meters.record(endpoint, nanos, status);
        }
        ServedModel unused = lease.takeMirror();
        if (unused != null) {
            unused.release();
        }
        slot.release(m);
    }

    /** The routing in force and every version's counters in its role. */
    public TrafficReport report() {
        Routing r = slot.routing();
        String name = r.champion().spec().modelName();
        return switch (r) {
            case Routing.Single s -> new TrafficReport(name, TrafficMode.SINGLE, 0, s.champion().meters(TrafficRole.CHAMPION).stats(), null,
                    ShadowStats.NONE);
            case Routing.Canary c -> new TrafficReport(name, TrafficMode.CANARY, c.weight(), c.champion().meters(TrafficRole.CHAMPION).stats(),
                    c.challenger().meters(TrafficRole.CANARY).stats(), ShadowStats.NONE);
            case Routing.Shadow s -> new TrafficReport(name, TrafficMode.SHADOW, s.weight(), s.champion().meters(TrafficRole.CHAMPION).stats(),
                    s.challenger().meters(TrafficRole.SHADOW).stats(), s.challenger().meters(TrafficRole.SHADOW).shadowStats());
        };
    }

    /** Stops mirroring; mirrors still queued are dropped and their references released. */
    @Override
    public void close() {
        for (Runnable pending : mirror.shutdownNow()) {
            ((Mirror) pending).drop();
        }
    }
}
