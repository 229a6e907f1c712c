package dev.flywheel.runtime;

import dev.flywheel.runtime.TestSteps.AfterBoom;
import dev.flywheel.runtime.TestSteps.Boom;
import dev.flywheel.runtime.TestSteps.Flaky;
import dev.flywheel.runtime.TestSteps.Generate;
import dev.flywheel.runtime.TestSteps.Hang;
import dev.flywheel.runtime.TestSteps.Report;
import dev.flywheel.runtime.TestSteps.Stats;
import dev.flywheel.runtime.TestSteps.Sum;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepResult;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineRunTest {
    @TempDir
    Path dir;
    Flywheel flywheel;

    @BeforeEach
    void open() {
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    @AfterEach
    void close() {
        flywheel.close();
    }

    static Pipeline stats(int count) {
        return Pipeline.named("stats")
                .step(Generate.class, new Generate.Config(count, 1))
                .step(Sum.class)
                .step(Stats.class)
                .step(Report.class)
                .build();
    }

    private RunResult run(Pipeline pipeline, RunOptions options) {
        return flywheel.run(pipeline, options, RunListener.NONE);
    }

    @Test
    void fanOutAndFanInRunIsFullyRecorded() {
        RunResult result = run(stats(4), RunOptions.defaults());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.steps()).extracting(StepResult::status).containsOnly(StepStatus.SUCCEEDED);
        assertThat(flywheel.artifacts().load(result.artifactId("report", "report"), String.class)).isEqualTo("total=10 count=4 mean=2.5");

        Runs.RunDescription d = flywheel.runs().describe(result.runId().substring(0, 8));
        assertThat(d.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(d.run().finishedAt()).isNotNull();
        assertThat(d.steps()).extracting(s -> s.record().name()).containsExactlyInAnyOrder("generate", "sum", "stats", "report");
        Runs.RunDescription.Step report = d.steps().stream().filter(s -> s.record().name().equals("report")).findFirst().orElseThrow();
        assertThat(report.links()).filteredOn(l -> l.direction() == ArtifactLink.Direction.INPUT)
                .extracting(ArtifactLink::name).containsExactlyInAnyOrder("total", "count", "mean");
        StepRunRecord generate = d.steps().stream().map(Runs.RunDescription.Step::record).filter(s -> s.name().equals("generate")).findFirst().orElseThrow();
        assertThat(generate.logs()).contains("generating 4 numbers").contains("stdout line from generate");
        assertThat(generate.codeHash()).hasSize(64);
        assertThat(generate.configJson()).isEqualTo("{\"count\":4,\"offset\":1}");
        StepRunRecord statsStep = d.steps().stream().map(Runs.RunDescription.Step::record).filter(s -> s.name().equals("stats")).findFirst().orElseThrow();
        assertThat(statsStep.metadataJson()).isEqualTo("{\"count\":4}");

        List<ArtifactRecord> artifacts = flywheel.artifacts().list(result.runId(), 100);
        assertThat(artifacts).hasSize(5);
        assertThat(artifacts).allSatisfy(a -> {
            assertThat(a.sha256()).hasSize(64);
            assertThat(a.size()).isPositive();
            assertThat(flywheel.artifacts().describe(a.id()).bytesPresent()).isTrue();
        });
        ArtifactRecord numbers = artifacts.stream().filter(a -> a.outputName().equals("numbers")).findFirst().orElseThrow();
        assertThat(flywheel.artifacts().describe(numbers.id()).links())
                .extracting(ArtifactLink::direction, ArtifactLink::name)
                .contains(org.assertj.core.groups.Tuple.tuple(ArtifactLink.Direction.OUTPUT, "numbers"));
        assertThat(flywheel.artifacts().describe(numbers.id()).links()).filteredOn(l -> l.direction() == ArtifactLink.Direction.INPUT).hasSize(2);
    }

    @Test
    void secondIdenticalRunIsServedFromCache() {
        RunResult first = run(stats(5), RunOptions.defaults());
        RunResult second = run(stats(5), RunOptions.defaults());

        assertThat(second.steps()).extracting(StepResult::status).containsOnly(StepStatus.CACHED);
        assertThat(second.artifactId("report", "report")).isEqualTo(first.artifactId("report", "report"));
        StepRunRecord cached = flywheel.runs().describe(second.runId()).steps().get(0).record();
        assertThat(cached.cachedFrom()).isNotNull();
        assertThat(cached.status()).isEqualTo(StepStatus.CACHED);

        RunResult noCache = run(stats(5), RunOptions.defaults().withoutCache());
        assertThat(noCache.steps()).extracting(StepResult::status).containsOnly(StepStatus.SUCCEEDED);

        Pipeline optedOut = Pipeline.named("stats")
                .step(Generate.class, new Generate.Config(5, 1))
                .step(StepSpec.of(Sum.class).withoutCache())
                .step(Stats.class)
                .step(Report.class)
                .build();
        RunResult partly = run(optedOut, RunOptions.defaults());
        assertThat(partly.step("sum").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(partly.step("generate").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
        assertThat(partly.step("report").orElseThrow().status()).as("same inputs by content").isEqualTo(StepStatus.CACHED);
    }

    @Test
    void changedConfigThroughParamsReRunsTheStepAndItsChangedDependants() {
        run(stats(5), RunOptions.defaults());
        RunResult changed = run(stats(5), RunOptions.defaults().withParams(Map.of("generate.count", "6")));

        assertThat(changed.steps()).extracting(StepResult::status).containsOnly(StepStatus.SUCCEEDED);
        assertThat(flywheel.artifacts().load(changed.artifactId("report", "report"), String.class)).isEqualTo("total=21 count=6 mean=3.5");
        assertThat(flywheel.runs().describe(changed.runId()).run().paramsJson()).isEqualTo("{\"generate.count\":\"6\"}");
    }

    @Test
    void badParametersFailBeforeAnythingIsRecorded() {
        assertThatThrownBy(() -> run(stats(3), RunOptions.defaults().withParams(Map.of("nope.count", "1"))))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("has no such step; its steps are [generate, sum, stats, report]");
        assertThatThrownBy(() -> run(stats(3), RunOptions.defaults().withParams(Map.of("generate.rows", "1"))))
                .hasMessageContaining("step 'generate' has no config field 'rows'; its fields are [count, offset]");
        assertThatThrownBy(() -> run(stats(3), RunOptions.defaults().withParams(Map.of("count", "many"))))
                .hasMessageContaining("'count=many' is not a number");
        assertThatThrownBy(() -> run(stats(3), RunOptions.defaults().withParams(Map.of("whatever", "1"))))
                .hasMessageContaining("matches no config field")
                .satisfies(e -> assertThat(((FlywheelException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(flywheel.runs().count(null)).isZero();
    }

    @Test
    void failingStepFailsTheRunAndSkipsItsDependantsWhileIndependentStepsRun() {
        Pipeline p = Pipeline.named("fragile")
                .step(Generate.class, new Generate.Config(3, 0))
                .step(Boom.class)
                .step(AfterBoom.class)
                .step(Sum.class)
                .build();
        RunResult result = run(p, RunOptions.defaults());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).contains("Step 'boom' failed on attempt 1 of 1: IllegalStateException: the data has 3 rows, expected more");
        assertThat(result.step("boom").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
        assertThat(result.step("after_boom").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(result.step("sum").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);

        Runs.RunDescription d = flywheel.runs().describe(result.runId());
        assertThat(d.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(d.steps()).extracting(s -> s.record().name() + ":" + s.record().status())
                .containsExactlyInAnyOrder("generate:SUCCEEDED", "boom:FAILED", "after_boom:SKIPPED", "sum:SUCCEEDED");
        StepRunRecord boom = d.steps().stream().map(Runs.RunDescription.Step::record).filter(s -> s.name().equals("boom")).findFirst().orElseThrow();
        assertThat(boom.logs()).contains("IllegalStateException").contains("at dev.flywheel.runtime.TestSteps$Boom.boom");
    }

    @Test
    void failedStepIsRetriedWithBackoffUntilItSucceeds() {
        Flaky.CALLS.set(0);
        Pipeline p = Pipeline.named("flaky")
                .step(Generate.class, new Generate.Config(1, 0))
                .step(StepSpec.of(Flaky.class).withRetries(2, Duration.ofMillis(5)).withoutCache())
                .build();
        RunResult result = run(p, RunOptions.defaults());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.step("flaky").orElseThrow().attempts()).isEqualTo(3);
        StepRunRecord flaky = flywheel.runs().describe(result.runId()).steps().stream().map(Runs.RunDescription.Step::record)
                .filter(s -> s.name().equals("flaky")).findFirst().orElseThrow();
        assertThat(flaky.logs()).contains("failed on attempt 1 of 3").contains("failed on attempt 2 of 3");
    }

    @Test
    void stepOverItsTimeoutIsInterruptedAndFailed() {
        Pipeline p = Pipeline.named("slow")
                .step(Generate.class, new Generate.Config(1, 0))
                .step(StepSpec.of(Hang.class).withTimeout(Duration.ofMillis(300)))
                .build();
        long start = System.nanoTime();
        RunResult result = run(p, RunOptions.defaults());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.step("hang").orElseThrow().error()).contains("timed out after 300 ms");
    }
}
