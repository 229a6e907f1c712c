package dev.flywheel.schedule.time;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntervalFireTimesTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void intervalFiresExactlyOncePerIntervalFromStartUntilBeforeEnd() {
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofHours(1)).startingAt(START)
                .endingAt(START.plus(Duration.ofHours(10))), Instant.EPOCH);

        List<Instant> all = fires.between(Instant.MIN, Instant.MAX);

        assertThat(all).hasSize(10).first().isEqualTo(START);
        assertThat(all.getLast()).isEqualTo(START.plus(Duration.ofHours(9)));
        assertThat(fires.nextFireAfter(START.plus(Duration.ofHours(9)))).isEmpty();
    }

    @Test
    void fourteenDayIntervalFiresTwiceInFourWeeksAtExactElapsedTime() {
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofDays(14)).startingAt(START), Instant.EPOCH);

        assertThat(fires.between(START.minusNanos(1), START.plus(Duration.ofDays(28)).minusNanos(1)))
                .containsExactly(START, START.plus(Duration.ofDays(14)));
    }

    @Test
    void withoutStartTheRegistrationTimeAnchorsTheInterval() {
        Instant registered = Instant.parse("2026-05-05T05:05:05Z");
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofMinutes(30)), registered);

        assertThat(fires.start()).isEqualTo(registered);
        assertThat(fires.nextFireAfter(registered.minusSeconds(1))).contains(registered);
        assertThat(fires.nextFireAfter(registered)).contains(registered.plus(Duration.ofMinutes(30)));
        assertThat(fires.nextFireAfter(registered.plus(Duration.ofMinutes(31)))).contains(registered.plus(Duration.ofMinutes(60)));
    }

    @Test
    void betweenExcludesTheLowerBoundAndIncludesTheUpperBound() {
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofHours(1)).startingAt(START), Instant.EPOCH);

        assertThat(fires.between(START, START.plus(Duration.ofHours(2))))
                .containsExactly(START.plus(Duration.ofHours(1)), START.plus(Duration.ofHours(2)));
    }

    @Test
    void latestReturnsTheNewestFiresWithoutWalkingTheWholeWindow() {
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofSeconds(1)).startingAt(START), Instant.EPOCH);
        Instant tenYearsLater = START.plus(Duration.ofDays(3650));

        assertThat(fires.latest(START.minusNanos(1), tenYearsLater, 2))
                .containsExactly(tenYearsLater.minusSeconds(1), tenYearsLater);
    }

    @Test
    void endBeforeRegistrationTimeIsRejected() {
        Schedule schedule = Schedule.every(Duration.ofHours(1)).endingAt(START);

        assertThatThrownBy(() -> FireTimes.of(schedule, START.plusSeconds(1)))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("never fire");
        assertThat(FireTimes.of(schedule, START.minusSeconds(7200)).nextFireAfter(START.minusSeconds(1)))
                .isEqualTo(Optional.empty());
    }
}
