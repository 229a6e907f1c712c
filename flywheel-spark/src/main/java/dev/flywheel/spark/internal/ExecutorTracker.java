package dev.flywheel.spark.internal;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which executors the application got, where they ran (their worker's web UI) and how many tasks each finished.
 * Registered through {@code spark.extraListeners}, so it sees executors that register while the SparkContext starts;
 * Spark builds it, the driver finds it as {@link #current()}.
 */
public final class ExecutorTracker extends SparkListener {
    private static volatile ExecutorTracker current;
    private final Map<String, String> workers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tasks = new ConcurrentHashMap<>();

    public ExecutorTracker() {
        current = this;
    }

    /** The tracker of this driver's SparkContext, or null before it started. */
    static ExecutorTracker current() {
        return current;
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        Map<String, String> logs = CollectionConverters.asJava(added.executorInfo().logUrlMap());
        String where = added.executorInfo().executorHost();
        String stdout = logs.get("stdout");
        if (stdout != null) {
            URI u = URI.create(stdout);
            where = u.getHost() + ":" + u.getPort(); // the worker's web UI: tells workers on one host apart
        }
        workers.put(added.executorId(), where);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
            tasks.computeIfAbsent(end.taskInfo().executorId(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    int executors() {
        return workers.size();
    }

    /** Executor id to the worker it ran on. */
    Map<String, String> workers() {
        return new TreeMap<>(workers);
    }

    /** Executor id (or {@code driver} in local mode) to the tasks it finished. */
    Map<String, Integer> tasks() {
        Map<String, Integer> out = new TreeMap<>();
        tasks.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
