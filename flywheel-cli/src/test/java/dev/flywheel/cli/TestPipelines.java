package dev.flywheel.cli;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.util.List;

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

    @Override
    public List<Pipeline> pipelines() {
        return List.of(
                Pipeline.named("hello").description("greets and shouts")
                        .step(Greet.class, new Greet.Config("world", 1))
                        .step(Shout.class)
                        .build(),
                Pipeline.named("broken")
                        .step(Greet.class, new Greet.Config("x", 1))
                        .step(Fail.class)
                        .build(),
                ValueSweep.pipeline(0));
    }
}
