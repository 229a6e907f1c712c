package dev.flywheel.cli.quickstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small, steady load on the prediction server while the story goes on: a few clients send one-row Open Inference
 * Protocol requests at a bounded rate, and count what succeeded, what failed, and which model version answered.
 */
final class LiveTraffic implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI url;
    private volatile List<String> bodies;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final Map<String, AtomicLong> byVersion = new ConcurrentHashMap<>();
    private final CountDownLatch stopped;
    private final Thread[] clients;
    private volatile boolean running = true;

    /** {@code perClientPerSecond} requests per second from each of {@code clientCount} clients. */
    LiveTraffic(String predictionUrl, List<String> bodies, int clientCount, int perClientPerSecond) {
        this.url = URI.create(predictionUrl);
        this.bodies = List.copyOf(bodies);
        this.stopped = new CountDownLatch(clientCount);
        this.clients = new Thread[clientCount];
        long pauseNanos = 1_000_000_000L / perClientPerSecond;
        for (int c = 0; c < clientCount; c++) {
            int offset = c;
            clients[c] = Thread.ofPlatform().daemon().name("quickstart-client-" + c).start(() -> {
                try {
                    for (int i = offset; running; i += clientCount) {
                        send(this.bodies.get(i % this.bodies.size()));
                        LockSupport.parkNanos(pauseNanos);
                    }
                } finally {
                    stopped.countDown();
                }
            });
        }
    }

    private void send(String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                ok.incrementAndGet();
                byVersion.computeIfAbsent(r.headers().firstValue("X-Model-Version").orElse("?"), v -> new AtomicLong()).incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastFailure.set("HTTP " + r.statusCode() + ": " + r.body());
            }
        } catch (Exception e) {
            failed.incrementAndGet();
            lastFailure.set(e.toString());
        }
    }

    /** From now on the clients send {@code next} (the traffic drifts). */
    void switchTo(List<String> next) {
        bodies = List.copyOf(next);
    }

    long succeeded() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure.get();
    }

    /** Version label to how many requests it answered. */
    Map<String, Long> answersByVersion() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byVersion.forEach((v, n) -> out.put(v, n.get()));
        return out;
    }

    @Override
    public void close() {
        running = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
