package dev.flywheel.cli;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** Pipelines the CLI tests run by name, registered in META-INF/services like a user's would be. */
public final class TestPipelines implements PipelineProvider {

    public static final class Greet {
        public record Config(String name, int times) {
        }

        @Step(output = "greeting")
        public String greet(Config config, StepContext context) {
            context.log("greeting " + config.name());
            return ("hello " + config.name() + " ").repeat(config.times()).trim();
        }
    }

    public static final class Shout {
        @Step(output = "shout")
        public String shout(@Input("greeting") String greeting) {
            return greeting.toUpperCase();
        }
    }

    public static final class Fail {
        @Step(output = "never")
        public String fail(@Input("greeting") String greeting) {
            throw new IllegalArgumentException("cannot handle '" + greeting + "'");
        }
    }

    /** Waits until a file exists (or its time is up): a run that stays RUNNING until a test lets it go or kills it. */
    public static final class WaitForFile {
        public record Config(String file, long maxMillis) {
        }

        @Step(output = "waited")
        public String await(Config config) {
            Path file = Path.of(config.file());
            long deadline = System.nanoTime() + config.maxMillis() * 1_000_000;
            while (!Files.exists(file) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000);
            }
            return Files.exists(file) ? "released" : "timed out";
        }
    }

    @Override
    public List<Pipeline> pipelines() {
        return List.of(
                Pipeline.named("hello").description("greets and shouts")
                        .step(Greet.class, new Greet.Config("world", 1))
                        .step(Shout.class)
                        .build(),
                Pipeline.named("wait").description("waits for a file")
                        .step(WaitForFile.class, new WaitForFile.Config("", 60_000))
                        .build(),
                Pipeline.named("broken")
                        .step(Greet.class, new Greet.Config("x", 1))
                        .step(Fail.class)
                        .build(),
                ValueSweep.pipeline(0));
    }
}
