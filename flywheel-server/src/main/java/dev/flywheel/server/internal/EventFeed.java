package dev.flywheel.server.internal;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.RunQuery;
import dev.flywheel.store.metadata.RunRecord;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/events?topics=runs,deployments}: a Server-Sent Events stream that says {@code change} when what a
 * topic shows changed, so pages refresh at once instead of polling. One thread looks at each subscribed topic through
 * the same facades as the pages (only while someone listens), and compares a fingerprint of what it saw with the last
 * one; the stores stay the one source of truth, so a change made by the CLI, a pipeline or another server shows too.
 */
final class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    private static final Pattern TOPIC = Pattern.compile("runs|deployments|rollouts|run:[0-9A-Za-z-]{1,64}|rollout:[0-9A-Za-z-]{1,64}");
    private static final int MAX_TOPICS = 8;
    /** How often subscribed topics are looked at: a second is live to a reader and cheap for the stores. */
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final long KEEP_ALIVE_TICKS = 15;

    private record Subscriber(SseClient client, Set<String> topics) {
    }

    private final Flywheel flywheel;
    private final Duration every;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final ScheduledExecutorService ticker;
    private long ticks;

    EventFeed(Flywheel flywheel, Duration every) {
        this.flywheel = flywheel;
        this.every = every;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("flywheel-server-events").unstarted(r));
        ticker.scheduleWithFixedDelay(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The topics a request asks for; 400 naming {@code topics} for none, too many or an unknown one. */
    static Set<String> topics(Context ctx) {
        String v = Requests.query(ctx, "topics");
        if (v == null) {
            throw new InvalidField("topics", "query parameter 'topics' is required: a comma-separated list of runs, deployments, rollouts,"
                    + " run:RUN_ID or rollout:ROLLOUT_ID");
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String t : v.split(",")) {
            String topic = t.strip();
            if (!TOPIC.matcher(topic).matches()) {
                throw new InvalidField("topics", "query parameter 'topics' has an unknown topic '" + topic + "'; use runs, deployments, rollouts,"
                        + " run:RUN_ID or rollout:ROLLOUT_ID");
            }
            topics.add(topic);
        }
        if (topics.size() > MAX_TOPICS) {
            throw new InvalidField("topics", "query parameter 'topics' lists " + topics.size() + " topics; at most " + MAX_TOPICS);
        }
        return topics;
    }

    /** Holds the client's stream open until it goes away or the server stops; the first event says which topics it follows. */
    void subscribe(SseClient client, Set<String> topics) {
        Subscriber s = new Subscriber(client, Set.copyOf(topics));
        client.onClose(() -> subscribers.remove(s));
        synchronized (this) {
            for (String topic : topics) {
                seen.computeIfAbsent(topic, this::fingerprintOrZero); // later changes are compared with what the page showed
            }
        }
        subscribers.add(s);
        client.sendEvent("ready", ApiJson.write(Map.of("topics", topics, "everyMillis", every.toMillis())));
        client.keepAlive();
    }

    private synchronized void tick() {
        try {
            if (subscribers.isEmpty()) {
                seen.clear();
                return;
            }
            Set<String> wanted = new LinkedHashSet<>();
            subscribers.forEach(s -> wanted.addAll(s.topics()));
            seen.keySet().retainAll(wanted);
            List<String> changed = new ArrayList<>();
            for (String topic : wanted) {
                int now = fingerprintOrZero(topic);
                Integer before = seen.put(topic, now);
                if (before != null && before != now) {
                    changed.add(topic);
                }
            }
            boolean keepAlive = ++ticks % KEEP_ALIVE_TICKS == 0;
            for (Subscriber s : subscribers) {
                for (String topic : changed) {
                    if (s.topics().contains(topic)) {
                        s.client().sendEvent("change", ApiJson.write(Map.of("topic", topic)));
                    }
                }
                if (keepAlive) {
                    s.client().sendComment("keep-alive"); // a client that left without closing fails this and is closed
                }
            }
        } catch (RuntimeException e) {
            log.warn("live events: {}", e.toString()); // the next tick tries again; pages also poll slowly as a fallback
        }
    }

    private int fingerprintOrZero(String topic) {
        try {
            return fingerprint(topic);
        } catch (FlywheelException e) {
            return e.code().hashCode(); // e.g. a run not found yet: when it appears, that is a change
        }
    }

    /** What the topic's page shows, reduced to a number that changes when it does. */
    private int fingerprint(String topic) {
        if (topic.equals("runs")) {
            List<Object> parts = new ArrayList<>();
            for (RunRecord r : flywheel.runs().page(RunQuery.newest(50)).runs()) {
                parts.add(List.of(r.id(), r.status(), Objects.toString(r.finishedAt())));
            }
            return parts.hashCode();
        }
        if (topic.equals("deployments")) {
            return flywheel.deployments().views(null, null, null, false).stream().map(v -> List.of(v.record().uuid(), v.record().status(),
                    v.record().modelVersion(), v.inSync(), Objects.toString(v.record().lastError()), v.record().restartCount(),
                    flywheel.rollouts().latest(v.record().uuid()).map(r -> r.id() + "/" + r.revision()).orElse(""))).toList().hashCode();
        }
        if (topic.equals("rollouts")) {
            return flywheel.rollouts().list().stream().map(r -> r.id() + "/" + r.revision()).toList().hashCode();
        }
        if (topic.startsWith("run:")) {
            var d = flywheel.runs().describe(topic.substring(4));
            return List.of(d.run().status(), d.steps().stream().map(s -> s.record().name() + "/" + s.record().status() + "/"
                    + Objects.toString(s.record().finishedAt())).toList()).hashCode();
        }
        return flywheel.rollouts().status(topic.substring("rollout:".length())).revision();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        for (Subscriber s : subscribers) {
            s.client().close();
        }
        subscribers.clear();
    }
}
