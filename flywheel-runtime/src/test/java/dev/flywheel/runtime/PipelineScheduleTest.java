package dev.flywheel.runtime;

import dev.flywheel.schedule.ScheduleDescription;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code pipeline.schedule(...)} stores: the schedule with the class path to start the pipeline again. */
class PipelineScheduleTest {
    @TempDir
    Path dir;

    @Test
    void scheduleStoresThePipelineWithTheClassPathItCanBeStartedFrom() {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            String id = FlywheelPipelineRunner.schedule(flywheel, PipelineRunTest.stats(3), Schedule.every(Duration.ofHours(6)));

            ScheduleDescription d = flywheel.schedules().describe(id, 5);
            assertThat(d.schedule().pipeline()).isEqualTo("stats");
            assertThat(d.schedule().schedule()).isEqualTo(Schedule.every(Duration.ofHours(6)));
            assertThat(d.schedule().launch().classpath()).contains("test-classes");
            assertThat(d.nextFire()).isPresent();
            assertThat(flywheel.schedules().list()).hasSize(1);
        }
    }

    @Test
    void aPipelineNoProviderRegistersCannotBeScheduledAndTheErrorSaysHowToRegisterIt() {
        Pipeline unregistered = Pipeline.named("adhoc").step(TestSteps.Generate.class, new TestSteps.Generate.Config(1, 1)).build();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            assertThatThrownBy(() -> FlywheelPipelineRunner.schedule(flywheel, unregistered, Schedule.every(Duration.ofHours(1))))
                    .isInstanceOf(FlywheelException.class)
                    .hasMessageContaining("'adhoc' cannot be scheduled").hasMessageContaining("META-INF/services")
                    .satisfies(e -> assertThat(((FlywheelException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThat(flywheel.schedules().list()).isEmpty();
        }
    }
}
