package dev.flywheel.runtime;

import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;

import java.nio.file.Path;

/** Child-process entry point for multi-process tests: runs the stats pipeline N times against one store. */
public final class ConcurrentRunsMain {
    private ConcurrentRunsMain() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        int offset = Integer.parseInt(args[2]);
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            for (int i = 0; i < runs; i++) {
                RunResult r = flywheel.run(PipelineRunTest.stats(offset + i), RunOptions.defaults(), RunListener.NONE);
                if (!r.succeeded()) {
                    System.err.println("run failed: " + r.error());
                    System.exit(1);
                }
            }
        }
        System.exit(0);
    }
}
