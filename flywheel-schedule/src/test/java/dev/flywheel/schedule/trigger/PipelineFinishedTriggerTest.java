package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static dev.flywheel.sdk.RunStatus.FAILED;
import static dev.flywheel.sdk.RunStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineFinishedTriggerTest {
    private static final Instant T = Instant.parse("2026-04-01T12:00:00Z");
    private final PipelineFinishedTrigger rule = PipelineFinishedTrigger.whenSucceeds("features", "bike_demand");

    @Test
    void successOfTheUpstreamPipelineLaunchesTheDownstreamOneWithTheUpstreamRun() {
        assertThat(rule.evaluate(new RunFinished("features", "run-42", SUCCEEDED, T)))
                .contains(new LaunchReason.UpstreamRun("features", "run-42"));
        assertThat(rule.downstream()).isEqualTo("bike_demand");
    }

    @Test
    void failuresAndOtherPipelinesDoNotLaunch() {
        assertThat(rule.evaluate(new RunFinished("features", "run-43", FAILED, T))).isEmpty();
        assertThat(rule.evaluate(new RunFinished("other", "run-44", SUCCEEDED, T))).isEmpty();
    }

    @Test
    void aRuleCanReactToFailures() {
        PipelineFinishedTrigger onFailure = new PipelineFinishedTrigger("train", Set.of(FAILED), "alert");

        assertThat(onFailure.evaluate(new RunFinished("train", "r1", FAILED, T))).isPresent();
        assertThat(onFailure.evaluate(new RunFinished("train", "r2", SUCCEEDED, T))).isEmpty();
    }

    @Test
    void aPipelineTriggeringItselfOrNoStatusIsRejected() {
        assertThatThrownBy(() -> PipelineFinishedTrigger.whenSucceeds("train", "train"))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("'train' run itself");
        assertThatThrownBy(() -> new PipelineFinishedTrigger("a", Set.of(), "b")).hasMessageContaining("no status");
        assertThatThrownBy(() -> PipelineFinishedTrigger.whenSucceeds(" ", "b")).hasMessageContaining("both pipeline names");
    }
}
