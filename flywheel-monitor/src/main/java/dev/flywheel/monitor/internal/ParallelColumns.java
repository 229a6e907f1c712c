package dev.flywheel.monitor.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one task per column on a few threads and returns the results in column order. Columns are independent, so
 * this is where a 20-column comparison gets the machine's cores; the pool lives only for the call.
 */
public final class ParallelColumns {
    private ParallelColumns() {
    }

    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> task) {
        int threads = Math.min(parallelism, items.size());
        if (threads <= 1) {
            return items.stream().map(task).toList();
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "flywheel-drift-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new FlywheelException(ErrorCode.INTERNAL, "a column task failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "interrupted while comparing columns", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
