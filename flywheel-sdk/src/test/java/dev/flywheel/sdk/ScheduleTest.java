package dev.flywheel.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void fluentMethodsReturnNewSchedulesAndLeaveTheOriginalAlone() {
        Schedule base = Schedule.every(Duration.ofDays(14));
        Schedule tuned = base.startingAt(T0).endingAt(T0.plusSeconds(3600)).catchUp(CatchUp.ALL).maxConcurrentRuns(3);

        assertThat(base).isEqualTo(new Schedule(new Timing.Interval(Duration.ofDays(14)), null, null, CatchUp.LATEST, 1));
        assertThat(tuned.start()).isEqualTo(T0);
        assertThat(tuned.end()).isEqualTo(T0.plusSeconds(3600));
        assertThat(tuned.catchUp()).isEqualTo(CatchUp.ALL);
        assertThat(tuned.maxConcurrentRuns()).isEqualTo(3);
    }

    @Test
    void zeroOrNegativeIntervalIsRejected() {
        assertThatThrownBy(() -> Schedule.every(Duration.ZERO))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("PT0S").hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> Schedule.every(Duration.ofMinutes(-5))).hasMessageContaining("PT-5M");
    }

    @Test
    void endNotAfterStartIsRejectedWithBothInstants() {
        assertThatThrownBy(() -> Schedule.every(Duration.ofHours(1)).startingAt(T0).endingAt(T0))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("2026-01-01T00:00:00Z").hasMessageContaining("not after its start");
    }

    @Test
    void maxConcurrentRunsBelowOneIsRejected() {
        assertThatThrownBy(() -> Schedule.every(Duration.ofHours(1)).maxConcurrentRuns(0))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("maxConcurrentRuns is 0");
    }

    @Test
    void cronWithWrongFieldCountNamesTheExpressionAndTheFieldCount() {
        assertThatThrownBy(() -> Schedule.cron("0 3 * *", ZoneId.of("UTC")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'0 3 * *'").hasMessageContaining("has 4 fields");
        assertThatThrownBy(() -> Schedule.cron("@fortnightly", ZoneId.of("UTC"))).hasMessageContaining("not a known macro");
        assertThatThrownBy(() -> Schedule.cron("  ", ZoneId.of("UTC"))).hasMessageContaining("empty");
        assertThatThrownBy(() -> Schedule.cron("0 3 * * MON", null)).hasMessageContaining("needs a time zone");
    }

    @Test
    void cronKeepsTheExpressionAsWrittenWithoutSurroundingBlanks() {
        Timing.Cron cron = (Timing.Cron) Schedule.cron(" 0 3 * * MON ", ZoneId.of("Europe/Berlin")).timing();
        assertThat(cron.expression()).isEqualTo("0 3 * * MON");
        assertThat(cron.fieldCount()).isEqualTo(5);
    }
}
