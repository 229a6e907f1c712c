package dev.flywheel.schedule.time;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronFireTimesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant EPOCH_2026 = Instant.parse("2026-01-01T00:00:00Z");

    private static FireTimes cron(String expression, ZoneId zone) {
        return FireTimes.of(Schedule.cron(expression, zone).startingAt(EPOCH_2026), EPOCH_2026);
    }

    private static List<Instant> fires(String expression, ZoneId zone, String after, String upTo) {
        return cron(expression, zone).between(Instant.parse(after), Instant.parse(upTo));
    }

    @Test
    void mondayThreeAmInBerlinFiresAtThreeLocalOnBothSidesOfSpringForward() {
        List<Instant> fires = fires("0 3 * * MON", BERLIN, "2026-03-15T00:00:00Z", "2026-04-07T00:00:00Z");

        assertThat(fires).containsExactly(
                Instant.parse("2026-03-16T02:00:00Z"), // CET, UTC+1
                Instant.parse("2026-03-23T02:00:00Z"),
                Instant.parse("2026-03-30T01:00:00Z"), // CEST, UTC+2
                Instant.parse("2026-04-06T01:00:00Z"));
        assertThat(fires).allSatisfy(t -> {
            ZonedDateTime local = t.atZone(BERLIN);
            assertThat(local.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
            assertThat(local.getHour()).isEqualTo(3);
        });
    }

    @Test
    void dailyTimeInsideTheSkippedSpringHourFiresOnceShiftedByTheGap() {
        List<Instant> fires = fires("30 2 * * *", BERLIN, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z");

        assertThat(fires).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
                Instant.parse("2026-03-29T01:30:00Z"), // 02:30 does not exist: 03:30 CEST
                Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
    }

    @Test
    void searchingFromJustAfterTheGapStillFindsTheShiftedFire() {
        FireTimes daily = cron("30 2 * * *", BERLIN);

        assertThat(daily.nextFireAfter(Instant.parse("2026-03-29T01:10:00Z"))) // 03:10 CEST
                .contains(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void dailyTimeInsideTheRepeatedAutumnHourFiresOnceAtItsFirstOccurrence() {
        List<Instant> fires = fires("30 2 * * *", BERLIN, "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z");

        assertThat(fires).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
                Instant.parse("2026-10-25T00:30:00Z"), // first 02:30 (CEST); the second (CET, 01:30Z) does not fire
                Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
        assertThat(cron("30 2 * * *", BERLIN).nextFireAfter(Instant.parse("2026-10-25T01:10:00Z")))
                .contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void hourlyCronFollowsTheLocalClockThroughBothChanges() {
        assertThat(fires("0 * * * *", BERLIN, "2026-03-28T23:30:00Z", "2026-03-29T02:00:00Z")).containsExactly(
                Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
                Instant.parse("2026-03-29T02:00:00Z"));
        // 02:00 local happens twice in autumn and fires once, so there is no fire at 01:00Z.
        assertThat(fires("0 * * * *", BERLIN, "2026-10-24T22:30:00Z", "2026-10-25T02:00:00Z")).containsExactly(
                Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-25T00:00:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"));
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', value = {
            "0 3 * * MON          | 0 0 3 ? * MON",
            "*/15 9-17 * * 1-5    | 0 */15 9-17 ? * MON-FRI",
            "0 0 * * 0            | 0 0 0 ? * 1",
            "0 0 * * 7            | 0 0 0 ? * SUN",
            "0 6 * * 5-7          | 0 0 6 ? * FRI,SAT,SUN",
            "0 12 * * */2         | 0 0 12 ? * SUN,TUE,THU,SAT",
            "0 12 * * 1/2         | 0 0 12 ? * MON,WED,FRI",
            "0 0 * * 5#2          | 0 0 0 ? * 6#2",
            "0 0 * * 0L           | 0 0 0 ? * 1L",
            "30 4 1 * *           | 0 30 4 1 * ?",
            "0 0 L * *            | 0 0 0 L * ?",
            "@daily               | 0 0 0 * * ?",
            "@weekly              | 0 0 0 ? * SUN",
            "0 0 3 * * *          | 0 0 3 * * ?",
            "0 0 3 ? * 2          | 0 0 3 ? * MON",
    })
    void fiveFieldUnixAndSixFieldQuartzFormsFireAtTheSameTimes(String unix, String quartz) {
        Instant after = Instant.parse("2026-01-01T00:00:00Z");
        Instant upTo = Instant.parse("2026-04-01T00:00:00Z");

        List<Instant> fromUnix = cron(unix, BERLIN).between(after, upTo);

        assertThat(fromUnix).isNotEmpty().isEqualTo(cron(quartz, BERLIN).between(after, upTo));
    }

    @Test
    void unixCronWithBothDayFieldsFiresOnEitherDay() {
        // Unix cron: the 13th of the month OR any Friday.
        List<Instant> fires = fires("0 0 13 * 5", UTC, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");

        assertThat(fires).containsExactly(
                Instant.parse("2026-02-06T00:00:00Z"), Instant.parse("2026-02-13T00:00:00Z"), // Feb 13 is a Friday
                Instant.parse("2026-02-20T00:00:00Z"), Instant.parse("2026-02-27T00:00:00Z"));
        assertThat(fires("0 0 13 * 1", UTC, "2026-02-01T00:00:00Z", "2026-02-17T00:00:00Z")).containsExactly(
                Instant.parse("2026-02-02T00:00:00Z"), Instant.parse("2026-02-09T00:00:00Z"),
                Instant.parse("2026-02-13T00:00:00Z"), Instant.parse("2026-02-16T00:00:00Z"));
    }

    @Test
    void cronFiresOnlyFromStartAndBeforeEnd() {
        Instant start = Instant.parse("2026-06-01T10:00:00Z");
        FireTimes fires = FireTimes.of(Schedule.cron("0 10 * * *", UTC).startingAt(start)
                .endingAt(start.plus(Duration.ofDays(3))), EPOCH_2026);

        assertThat(fires.between(Instant.MIN, Instant.parse("2030-01-01T00:00:00Z"))).containsExactly(
                start, start.plus(Duration.ofDays(1)), start.plus(Duration.ofDays(2)));
    }

    @Test
    void latestFindsTheNewestCronFiresInALongWindow() {
        FireTimes everyMinute = cron("* * * * *", UTC);

        assertThat(everyMinute.latest(EPOCH_2026, Instant.parse("2026-12-31T23:59:30Z"), 3)).containsExactly(
                Instant.parse("2026-12-31T23:57:00Z"), Instant.parse("2026-12-31T23:58:00Z"),
                Instant.parse("2026-12-31T23:59:00Z"));
        assertThat(cron("0 0 1 1 *", UTC).latest(EPOCH_2026, Instant.parse("2029-06-01T00:00:00Z"), 10))
                .containsExactly(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z"),
                        Instant.parse("2029-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "61 0 * * *        | Minute",
            "0 61 * * *        | Hour values",
            "0 0 * * 8         | day-of-week '8' is not 0-7",
            "0 0 * * FRI-MON   | runs backwards",
            "0 0 * * XYZ       | day-of-week 'XYZ'",
            "0 0 0 1 * MON     | both day-of-month '1' and day-of-week 'MON'",
            "0 0 */2 * MON     | stepped day field",
            "0 0 32 * *        | 0 0 0 32 * ?",
    })
    void invalidCronIsRejectedNamingTheExpressionAndTheProblem(String expression, String problem) {
        Schedule schedule = Schedule.cron(expression, UTC);

        assertThatThrownBy(() -> FireTimes.of(schedule, EPOCH_2026))
                .isInstanceOfSatisfying(FlywheelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'" + expression + "'")
                .hasMessageContaining(problem);
    }
}
