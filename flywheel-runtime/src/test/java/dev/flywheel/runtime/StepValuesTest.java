package dev.flywheel.runtime;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepResult;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An input that cannot be read (its bytes changed, its blob vanished) fails only its step, naming the artifact; the
 * run ends FAILED and independent steps still finish. (Every value type going from step to step unchanged is
 * {@code ValueRoundTripTest} in flywheel-cli, next to the pipeline provider the scheduler's child process needs.)
 */
class StepValuesTest {
    @TempDir
    Path dir;

    private static Flywheel open(Path project) {
        return Flywheel.create(cfg -> cfg.home = project.resolve(".flywheel"));
    }

    private static RunResult run(Flywheel flywheel, Pipeline pipeline) {
        return flywheel.run(pipeline, RunOptions.defaults(), RunListener.NONE);
    }

    public static final class MakeNumber {
        @Step(output = "value")
        public Double make() {
            return 2.5;
        }
    }

    public static final class UseNumber {
        public record Config(int round) {
        }

        @Step(output = "doubled")
        public Double use(Config config, @Input("value") Double value) {
            return value * 2;
        }
    }

    public static final class Independent {
        public record Config(int round) {
        }

        @Step(output = "other")
        public String other(Config config) {
            return "round " + config.round();
        }
    }

    private static Pipeline fragile(int round) {
        return Pipeline.named("fragile")
                .step("produce", MakeNumber.class)
                .step("consume", UseNumber.class, new UseNumber.Config(round))
                .step("independent", Independent.class, new Independent.Config(round))
                .build();
    }

    private static StepRunRecord stepRecord(Flywheel flywheel, RunResult result, String step) {
        return flywheel.runs().describe(result.runId()).steps().stream().map(Runs.RunDescription.Step::record)
                .filter(s -> s.name().equals(step)).findFirst().orElseThrow();
    }

    @Test
    void aCorruptInputFailsItsConsumerNamingTheArtifactAndBothHashesWhileIndependentStepsFinish() throws Exception {
        try (Flywheel flywheel = open(dir)) {
            RunResult first = run(flywheel, fragile(1));
            assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
            ArtifactRecord value = flywheel.artifacts().get(first.artifactId("produce", "value"));
            Path blob = Path.of(flywheel.artifacts().describe(value.id()).location());
            byte[] bytes = Files.readAllBytes(blob);
            bytes[0] = (byte) '9'; // "2.5" -> "9.5": same size, other bytes, still valid JSON
            Files.write(blob, bytes);
            String actualSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));

            RunResult second = run(flywheel, fragile(2));

            assertThat(second.status()).isEqualTo(RunStatus.FAILED);
            assertThat(second.step("produce").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
            StepResult consume = second.step("consume").orElseThrow();
            assertThat(consume.status()).isEqualTo(StepStatus.FAILED);
            assertThat(consume.error()).contains("Step 'consume' could not read its inputs: input 'value'")
                    .contains("artifact " + value.id()).contains("is corrupt")
                    .contains(value.sha256()).contains(actualSha);
            assertThat(second.error()).contains(value.id());
            assertThat(second.step("independent").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
            assertThat(flywheel.runs().describe(second.runId()).run().status()).isEqualTo(RunStatus.FAILED);
            assertThat(stepRecord(flywheel, second, "consume").error()).contains(value.id());

            RunResult repaired = flywheel.run(fragile(3), RunOptions.defaults().withoutCache(), RunListener.NONE);
            assertThat(repaired.status()).as("running the producer again rewrites its blob").isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run(flywheel, fragile(4)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void anInputWhoseBlobVanishesFailsItsConsumerNamingTheArtifactAndARunWithoutItRecomputesIt() throws Exception {
        try (Flywheel flywheel = open(dir)) {
            RunResult first = run(flywheel, fragile(1));
            ArtifactRecord value = flywheel.artifacts().get(first.artifactId("produce", "value"));
            Path blob = Path.of(flywheel.artifacts().describe(value.id()).location());
            RunListener deleteAfterCacheCheck = new RunListener() {
                @Override
                public void stepFinished(String runId, StepResult result) {
                    if (result.name().equals("produce")) {
                        try {
                            Files.delete(blob); // after the cache check found it, before the consumer reads it
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            };

            RunResult second = flywheel.run(fragile(2), RunOptions.defaults(), deleteAfterCacheCheck);

            assertThat(second.status()).isEqualTo(RunStatus.FAILED);
            assertThat(second.step("produce").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
            assertThat(second.step("consume").orElseThrow().error()).contains("artifact " + value.id())
                    .contains("does not exist").contains("--no-cache");
            assertThat(second.step("independent").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);

            RunResult third = run(flywheel, fragile(3));
            assertThat(third.status()).as("a missing cached output makes its step run again").isEqualTo(RunStatus.SUCCEEDED);
            assertThat(third.step("produce").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
            assertThat(Files.exists(blob)).isTrue();
        }
    }
}
