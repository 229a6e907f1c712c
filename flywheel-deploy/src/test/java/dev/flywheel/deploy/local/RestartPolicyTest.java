package dev.flywheel.deploy.local;

import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supervisor's restart policy on a clock the test moves: backoff doubling, its cap and reset, the crash window. */
class RestartPolicyTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    private static Duration backoff(RestartPolicy.Decision d) {
        assertThat(d).isInstanceOf(RestartPolicy.Decision.Restart.class);
        return ((RestartPolicy.Decision.Restart) d).backoff();
    }

    @Test
    void backoffDoublesWithEveryCrashInARowUpToItsCap() {
        RestartPolicy policy = new RestartPolicy(100, Duration.ofMinutes(10), Duration.ofMillis(250), clock);
        long[] expected = {250, 500, 1000, 2000, 4000, 8000, 8000, 8000};
        for (long ms : expected) {
            policy.started();
            clock.advance(Duration.ofSeconds(1));
            assertThat(backoff(policy.crashed())).isEqualTo(Duration.ofMillis(ms));
        }
    }

    @Test
    void aServerThatRanStablyBeforeItCrashedStartsTheBackoffAfresh() {
        RestartPolicy policy = new RestartPolicy(100, Duration.ofMinutes(10), Duration.ofMillis(250), clock);
        for (int i = 0; i < 4; i++) {
            policy.started();
            clock.advance(Duration.ofSeconds(1));
            policy.crashed();
        }
        policy.started();
        clock.advance(RestartPolicy.STABLE.plusSeconds(1));
        assertThat(backoff(policy.crashed())).isEqualTo(Duration.ofMillis(250));
        policy.started();
        clock.advance(RestartPolicy.STABLE); // exactly STABLE is not longer than it: still a crash loop
        assertThat(backoff(policy.crashed())).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void moreCrashesThanAllowedWithinTheWindowGiveUpAndOlderCrashesDropOut() {
        RestartPolicy policy = new RestartPolicy(3, Duration.ofMinutes(10), Duration.ofMillis(250), clock);
        for (int i = 0; i < 3; i++) {
            policy.started();
            clock.advance(Duration.ofMinutes(1));
            assertThat(policy.crashed()).isInstanceOf(RestartPolicy.Decision.Restart.class);
        }
        // the first crash (at minute 1) leaves the window once the clock passes minute 11
        clock.advance(Duration.ofMinutes(8).plusSeconds(1));
        policy.started();
        assertThat(policy.crashed()).as("3 crashes within the last 10 minutes").isInstanceOf(RestartPolicy.Decision.Restart.class);
        policy.started();
        assertThat(policy.crashed()).isInstanceOfSatisfying(RestartPolicy.Decision.GiveUp.class,
                g -> assertThat(g.why()).isEqualTo("gave up after 3 restarts within 600 s"));
    }

    @Test
    void zeroRestartsGivesUpAtTheFirstCrashAndBadSettingsAreRefused() {
        RestartPolicy none = new RestartPolicy(0, Duration.ofMinutes(1), Duration.ZERO, clock);
        none.started();
        assertThat(none.crashed()).isInstanceOf(RestartPolicy.Decision.GiveUp.class);
        assertThatThrownBy(() -> new RestartPolicy(-1, Duration.ofMinutes(1), Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartPolicy(1, Duration.ZERO, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartPolicy(1, Duration.ofMinutes(1), Duration.ofMillis(-1), clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
