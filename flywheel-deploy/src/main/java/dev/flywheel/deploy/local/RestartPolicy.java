package dev.flywheel.deploy.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * When a supervisor restarts a crashed server, and when it gives up: at most {@code maxRestarts} crashes within a
 * sliding {@code window}, each restart after a backoff that doubles with every crash in a row (from
 * {@code initialBackoff} up to {@link #MAX_BACKOFF}). A server that ran {@link #STABLE} or longer before it crashed
 * starts the doubling afresh: that crash is not part of a crash loop. Time comes from the injected clock, so tests
 * move it instead of waiting. Not thread-safe: one supervisor loop owns it.
 */
final class RestartPolicy {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration STABLE = Duration.ofSeconds(30);

    private final int maxRestarts;
    private final Duration window;
    private final Duration initialBackoff;
    private final Clock clock;
    private final Deque<Instant> crashes = new ArrayDeque<>();
    private Instant startedAt;
    private int inARow;

    RestartPolicy(int maxRestarts, Duration window, Duration initialBackoff, Clock clock) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0, got " + maxRestarts);
        }
        if (window.isNegative() || window.isZero() || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("the restart window must be positive and the backoff not negative");
        }
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.initialBackoff = initialBackoff;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What to do after a crash. */
    sealed interface Decision {
        /** Restart the server after {@code backoff}. */
        record Restart(Duration backoff) implements Decision {
        }

        /** Too many crashes within the window: give up (the service is failed). */
        record GiveUp(String why) implements Decision {
        }
    }

    /** The server was (re)started now. */
    void started() {
        startedAt = clock.instant();
    }

    /** The server crashed now: restart it (after how long) or give up. */
    Decision crashed() {
        Instant now = clock.instant();
        crashes.addLast(now);
        while (!crashes.isEmpty() && crashes.peekFirst().isBefore(now.minus(window))) {
            crashes.removeFirst();
        }
        boolean ranStably = startedAt != null && Duration.between(startedAt, now).compareTo(STABLE) > 0;
        inARow = ranStably ? 1 : inARow + 1;
        if (crashes.size() > maxRestarts) {
            return new Decision.GiveUp("gave up after " + maxRestarts + " restarts within " + window.toSeconds() + " s");
        }
        long millis = initialBackoff.toMillis() << Math.min(20, inARow - 1);
        return new Decision.Restart(Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), millis)));
    }
}
