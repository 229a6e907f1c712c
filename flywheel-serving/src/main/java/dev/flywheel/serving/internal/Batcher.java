package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import io.micrometer.core.instrument.DistributionSummary;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Adaptive batching of one model version, as Triton's dynamic batcher: concurrent small requests are scored in one
 * model call. No thread of its own: the first request to arrive at an empty queue leads; it waits until the queued
 * rows reach {@code maxRows} or its own wait bound ({@code maxWaitNanos} after it arrived) passes, takes up to
 * {@code maxRows} rows from the head of the queue, scores them in one call on its own thread, and hands each waiting
 * request its own rows. Rows left over go to the next leader at once (the oldest left-over request), so no request
 * waits past its bound for a batch to start. A request of {@code maxRows} rows or more is scored alone, unqueued.
 * When a batched call fails, each request of the batch is scored alone, so one request's failure is its own.
 */
final class Batcher {
    private final LoadedModel model;
    private final int maxRows;
    private final long maxWaitNanos;
    private final DistributionSummary batchRows;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition filled = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int queuedRows;
    /** Whether some request leads the queue now (waits for company or is about to drain). */
    private boolean led;

    Batcher(LoadedModel model, int maxRows, long maxWaitNanos, DistributionSummary batchRows) {
        this.model = model;
        this.maxRows = maxRows;
        this.maxWaitNanos = maxWaitNanos;
        this.batchRows = batchRows;
    }

    /** One queued request: its rows, its answer once scored, and the thread that waits for it. */
    private static final class Pending {
        final FeatureBatch batch;
        final long arrived;
        final Thread waiter = Thread.currentThread();
        volatile boolean promoted;
        volatile Predictions answer;
        volatile RuntimeException failure;
        volatile boolean done;

        Pending(FeatureBatch batch, long arrived) {
            this.batch = batch;
            this.arrived = arrived;
        }

        void complete(Predictions p, RuntimeException e) {
            answer = p;
            failure = e;
            done = true;
            LockSupport.unpark(waiter);
        }
    }

    Predictions predict(FeatureBatch batch) {
        if (batch.rows() >= maxRows) {
            batchRows.record(batch.rows());
            return model.predict(batch);
        }
        Pending mine = new Pending(batch, System.nanoTime());
        boolean lead;
        lock.lock();
        try {
            queue.add(mine);
            queuedRows += batch.rows();
            lead = !led;
            if (lead) {
                led = true;
            } else if (queuedRows >= maxRows) {
                filled.signal();
            }
        } finally {
            lock.unlock();
        }
        while (!mine.done) {
            if (lead || mine.promoted) {
                lead(mine);
                lead = false;
                mine.promoted = false;
            } else {
                LockSupport.park(this);
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.answer;
    }

    /** Waits for company up to {@code mine}'s bound, takes a batch from the head, scores it, answers everyone in it. */
    private void lead(Pending mine) {
        List<Pending> taken = new ArrayList<>();
        int rows = 0;
        lock.lock();
        try {
            long deadline = mine.arrived + maxWaitNanos;
            long left;
            while (queuedRows < maxRows && (left = deadline - System.nanoTime()) > 0) {
                try {
                    filled.awaitNanos(left);
                } catch (InterruptedException e) {
                    // scored now rather than abandoned: the others in the queue count on this leader
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            while (!queue.isEmpty() && rows + queue.peek().batch.rows() <= maxRows) {
                Pending p = queue.poll();
                rows += p.batch.rows();
                taken.add(p);
            }
            queuedRows -= rows;
            led = !queue.isEmpty();
            if (led) {
                Pending next = queue.peek();
                next.promoted = true;
                LockSupport.unpark(next.waiter);
            }
        } finally {
            lock.unlock();
        }
        score(taken, rows);
    }

    private void score(List<Pending> taken, int rows) {
        if (taken.size() == 1) {
            Pending only = taken.get(0);
            scoreAlone(only);
            return;
        }
        int columns = taken.get(0).batch.columns();
        float[] values = new float[rows * columns];
        int at = 0;
        for (Pending p : taken) {
            float[] v = p.batch.values();
            System.arraycopy(v, 0, values, at, v.length);
            at += v.length;
        }
        Predictions all;
        try {
            batchRows.record(rows);
            all = model.predict(new FeatureBatch(rows, columns, values));
            if (all.rows() != rows) {
                throw new IllegalStateException("model returned " + all.rows() + " rows for " + rows + " input rows");
            }
        } catch (RuntimeException e) {
            // Whatever failed the batch fails only the requests that fail alone.
            for (Pending p : taken) {
                scoreAlone(p);
            }
            return;
        }
        int width = all.width();
        int row = 0;
        for (Pending p : taken) {
            int n = p.batch.rows();
            float[] mine = new float[n * width];
            System.arraycopy(all.values(), row * width, mine, 0, mine.length);
            row += n;
            p.complete(new Predictions(n, width, mine), null);
        }
    }

    private void scoreAlone(Pending p) {
        try {
            batchRows.record(p.batch.rows());
            p.complete(model.predict(p.batch), null);
        } catch (RuntimeException e) {
            p.complete(null, e);
        }
    }
}
