package dev.flywheel.runtime;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;

import java.nio.file.Path;

/** Child-process entry point: starts a run whose second step never ends, so the test can kill the process mid-run. */
public final class HangingRunMain {
    private HangingRunMain() {
    }

    public static void main(String[] args) {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = Path.of(args[0]))) {
            flywheel.run(Pipeline.named("hanging")
                    .step(TestSteps.Generate.class, new TestSteps.Generate.Config(2, 0))
                    .step(TestSteps.Hang.class)
                    .build(), RunOptions.defaults(), RunListener.NONE);
        }
    }
}
