package dev.flywheel.server;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepSpec;

import java.util.Locale;

/** A pipeline of {@code steps} tiny steps in a chain (s000 -> s001 -> ...): a run too big for a readable graph. */
final class ChainPipelines {
    private ChainPipelines() {
    }

    static Pipeline chain(String name, int steps) {
        Pipeline.Builder b = Pipeline.named(name).step(StepSpec.of(Seed.class).named(step(0)));
        for (int i = 1; i < steps; i++) {
            b.step(StepSpec.of(Add.class).named(step(i)).withInput("n", step(i - 1) + ".n"));
        }
        return b.build();
    }

    static String step(int i) {
        return String.format(Locale.ROOT, "s%03d", i);
    }

    public static final class Seed {
        @Step(output = "n")
        public String seed() {
            return "0";
        }
    }

    public static final class Add {
        @Step(output = "n")
        public String add(@Input("n") String n) {
            return Integer.toString(Integer.parseInt(n) + 1);
        }
    }
}
