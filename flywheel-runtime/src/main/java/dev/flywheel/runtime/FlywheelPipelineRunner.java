package dev.flywheel.runtime;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.spi.PipelineRunner;

/**
 * Backs {@code Pipeline.run()}: opens the project found from the working directory (creating {@code .flywheel/}
 * on first use), runs the pipeline with the pipeline's own class loader, and closes the project.
 */
public final class FlywheelPipelineRunner implements PipelineRunner {
    @Override
    public RunResult run(Pipeline pipeline, RunOptions options) {
        ClassLoader loader = pipeline.steps().get(0).stepClass().getClassLoader();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.classLoader = loader)) {
            return flywheel.run(pipeline, options, RunListener.NONE);
        }
    }
}
