package dev.flywheel.schedule.plan;

import dev.flywheel.schedule.time.FireTimes;
import dev.flywheel.sdk.CatchUp;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpPlannerTest {
    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");
    private static final Duration OUTAGE = Duration.ofHours(3).plusMinutes(10);

    private final CatchUpPlanner planner = CatchUpPlanner.withDefaults();
    private final FireTimes halfHourly = FireTimes.of(
            Schedule.every(Duration.ofMinutes(30)).startingAt(START), START);
    private MutableClock clock;
    private Optional<Instant> lastFire;

    private static Instant at(String hhmm) {
        return Instant.parse("2026-04-01T" + hhmm + ":00Z");
    }

    /** The scheduler ran normally until 09:00 (launching the 09:00 fire on time), then was down for 3h10m. */
    @BeforeEach
    void runUntilNineThenGoDownForThreeHours() {
        clock = MutableClock.at(at("09:00").plusSeconds(2));
        CatchUpPlan onTime = planner.plan(halfHourly, CatchUp.SKIP, Optional.of(at("08:30")), clock.instant());
        assertThat(onTime.launch()).containsExactly(at("09:00"));
        lastFire = onTime.lastHandled();
        clock.advance(OUTAGE); // now 12:10:02
    }

    @Test
    void catchUpAllLaunchesEveryMissedFireOldestFirst() {
        CatchUpPlan plan = planner.plan(halfHourly, CatchUp.ALL, lastFire, clock.instant());

        assertThat(plan.launch()).containsExactly(at("09:30"), at("10:00"), at("10:30"), at("11:00"), at("11:30"),
                at("12:00"));
        assertThat(plan.skipped()).isEmpty();
        assertThat(plan.nextFire()).contains(at("12:30"));
        assertThat(plan.lastHandled()).contains(at("12:00"));
        assertThat(plan.launchReasons("s1").getFirst()).isEqualTo(new LaunchReason.ScheduledFire("s1", at("09:30")));
    }

    @Test
    void catchUpLatestLaunchesOnlyTheNewestMissedFireAndSkipsTheRest() {
        CatchUpPlan plan = planner.plan(halfHourly, CatchUp.LATEST, lastFire, clock.instant());

        assertThat(plan.launch()).containsExactly(at("12:00"));
        assertThat(plan.skipped()).containsExactly(at("09:30"), at("10:00"), at("10:30"), at("11:00"), at("11:30"));
        assertThat(plan.lastHandled()).contains(at("12:00"));
    }

    @Test
    void catchUpSkipLaunchesNothingMissedAndWaitsForTheNextFire() {
        CatchUpPlan plan = planner.plan(halfHourly, CatchUp.SKIP, lastFire, clock.instant());

        assertThat(plan.launch()).isEmpty();
        assertThat(plan.skipped()).containsExactly(at("09:30"), at("10:00"), at("10:30"), at("11:00"), at("11:30"),
                at("12:00"));
        assertThat(plan.nextFire()).contains(at("12:30"));

        clock.set(at("12:30").plusSeconds(1));
        CatchUpPlan next = planner.plan(halfHourly, CatchUp.SKIP, plan.lastHandled(), clock.instant());
        assertThat(next.launch()).containsExactly(at("12:30"));
        assertThat(next.skipped()).isEmpty();
    }

    @Test
    void skipStillLaunchesAFireSeenWithinTheMisfireThreshold() {
        clock.set(at("12:00").plusSeconds(30));

        CatchUpPlan plan = planner.plan(halfHourly, CatchUp.SKIP, lastFire, clock.instant());

        assertThat(plan.launch()).containsExactly(at("12:00"));
        assertThat(plan.skipped()).hasSize(5);
    }

    @Test
    void catchUpAllIsCappedKeepingTheNewestFires() {
        CatchUpPlanner capped = new CatchUpPlanner(Duration.ofMinutes(1), 4, 1000);

        CatchUpPlan plan = capped.plan(halfHourly, CatchUp.ALL, lastFire, clock.instant());

        assertThat(plan.launch()).containsExactly(at("10:30"), at("11:00"), at("11:30"), at("12:00"));
        assertThat(plan.skipped()).containsExactly(at("09:30"), at("10:00"));
        assertThat(plan.olderSkipsOmitted()).isFalse();
    }

    @Test
    void aYearLongOutageOfAMinuteCronListsOnlyTheNewestSkips() {
        FireTimes everyMinute = FireTimes.of(Schedule.cron("* * * * *", ZoneId.of("UTC")).startingAt(START), START);
        Instant now = START.plus(Duration.ofDays(365)).plusSeconds(5);

        CatchUpPlan plan = new CatchUpPlanner(Duration.ofMinutes(1), 100, 50)
                .plan(everyMinute, CatchUp.LATEST, Optional.empty(), now);

        assertThat(plan.launch()).containsExactly(START.plus(Duration.ofDays(365)));
        assertThat(plan.skipped()).hasSize(50).last().isEqualTo(now.minusSeconds(65));
        assertThat(plan.olderSkipsOmitted()).isTrue();
    }

    @Test
    void aNewScheduleFiresAtItsRegistrationAndThenWaits() {
        Instant registered = Instant.parse("2026-04-01T07:13:00Z");
        FireTimes fires = FireTimes.of(Schedule.every(Duration.ofDays(14)), registered);

        CatchUpPlan first = planner.plan(fires, CatchUp.LATEST, Optional.empty(), registered);
        CatchUpPlan second = planner.plan(fires, CatchUp.LATEST, first.lastHandled(), registered.plusSeconds(3600));

        assertThat(first.launch()).containsExactly(registered);
        assertThat(second.launch()).isEmpty();
        assertThat(second.skipped()).isEmpty();
        assertThat(second.nextFire()).contains(registered.plus(Duration.ofDays(14)));
        assertThat(second.lastHandled()).isEmpty();
    }

    @Test
    void anEndedScheduleHasNoNextFire() {
        FireTimes ending = FireTimes.of(Schedule.every(Duration.ofHours(1)).startingAt(START)
                .endingAt(START.plus(Duration.ofHours(2))), START);

        CatchUpPlan plan = planner.plan(ending, CatchUp.ALL, Optional.empty(), START.plus(Duration.ofHours(5)));

        assertThat(plan.launch()).isEqualTo(List.of(START, START.plus(Duration.ofHours(1))));
        assertThat(plan.nextFire()).isEmpty();
    }
}
