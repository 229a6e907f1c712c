package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.serving.api.ShadowStats;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.serving.api.TrafficRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one scoring entry point of every protocol (OIP and MLflow over HTTP, and any other front end): a request
 * {@link #acquire acquires} the version its routing key is routed to, {@link #predict predicts} with it (handing a
 * copy to the shadow challenger when mirrored), and {@link #finish finishes}, which records its role's metrics and
 * releases what it held. Mirroring runs on one thread behind a small bounded queue: a full queue drops the mirror
 * (and counts it), so a shadow never delays, changes or fails the champion's answer.
 */
public final class Traffic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Traffic.class);
    /** Mirrors waiting at most; beyond it they are dropped rather than queue memory or delay. */
    static final int MIRROR_QUEUE = 256;
    /**
     * How long the mirror thread naps when nothing is queued. It takes what queued meanwhile in one go rather than
     * waiting on the queue, where every mirrored request would wake it: a thread switch per request, which on a busy
     * server costs the champion's throughput more than the shadow's scoring does.
     */
    private static final long MIRROR_NAP_NANOS = 1_000_000;
    /** Mirrors taken from the queue at a time: few, so that the queue's bound stays the bound on what waits. */
    private static final int MIRROR_CHUNK = 16;
    /** After this long without a mirror the thread waits on the queue instead (an idle server spends nothing). */
    private static final long MIRROR_IDLE_NANOS = 200_000_000;

    private final ModelSlot slot;
    private final ArrayBlockingQueue<Mirror> mirrors = new ArrayBlockingQueue<>(MIRROR_QUEUE);
    private final Thread mirrorThread;
    private volatile boolean closed;

    public Traffic(ModelSlot slot) {
        this.slot = slot;
        this.mirrorThread = Thread.ofPlatform().daemon().name("shadow-mirror").start(this::mirrorLoop);
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
        if (closed || !mirrors.offer(task)) {
            task.drop();
            return;
        }
        task.meters().mirrored();
        if (closed && mirrors.remove(task)) { // closed while offering: nobody will run it
            task.drop();
        }
    }

    private void mirrorLoop() {
        List<Mirror> batch = new ArrayList<>(MIRROR_CHUNK);
        long idleSince = System.nanoTime();
        while (!closed) {
            if (mirrors.drainTo(batch, MIRROR_CHUNK) == 0) {
                if (System.nanoTime() - idleSince < MIRROR_IDLE_NANOS) {
                    LockSupport.parkNanos(MIRROR_NAP_NANOS);
                    continue;
                }
                // no shadow traffic for a while: wait on the queue, costing nothing until a mirror comes
                try {
                    Mirror first = mirrors.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException closing) {
                    continue;
                }
            }
            for (Mirror m : batch) {
                m.run();
            }
            batch.clear();
            idleSince = System.nanoTime();
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
        closed = true;
        mirrorThread.interrupt();
        List<Mirror> pending = new ArrayList<>();
        mirrors.drainTo(pending);
        pending.forEach(Mirror::drop);
    }
}
