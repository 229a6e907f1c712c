package dev.flywheel.bench.engine;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepSpec;

/** Steps that do nothing but pass a value on, so a run's time is Flywheel's own overhead: tracking, storing, caching. */
public final class NoOpSteps {
    private NoOpSteps() {
    }

    public static final class Source {
        public record Config(int seed) {
        }

        @Step(output = "out")
        public Integer source(Config config) {
            return config.seed();
        }
    }

    public static final class Pass {
        @Step(output = "out")
        public Integer pass(@Input("in") Integer in) {
            return in;
        }
    }

    /** source -> s1 -> s2 -> ... : {@code steps} steps in a line. */
    public static Pipeline chain(int steps, int seed) {
        Pipeline.Builder b = Pipeline.named("chain_" + steps).step("s0", Source.class, new Source.Config(seed));
        for (int i = 1; i < steps; i++) {
            b.step(StepSpec.of(Pass.class).named("s" + i).withInput("in", "s" + (i - 1) + ".out"));
        }
        return b.build();
    }

    /** source -> {l1 .. l(steps-1)}: one step feeding all others. */
    public static Pipeline fanOut(int steps, int seed) {
        Pipeline.Builder b = Pipeline.named("fanout_" + steps).step("s0", Source.class, new Source.Config(seed));
        for (int i = 1; i < steps; i++) {
            b.step(StepSpec.of(Pass.class).named("l" + i).withInput("in", "s0.out"));
        }
        return b.build();
    }
}
