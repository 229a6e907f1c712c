package dev.flywheel.sdk.spi;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;

/**
 * Runs pipelines on behalf of {@link Pipeline#run()}. Found with {@link java.util.ServiceLoader};
 * {@code flywheel-runtime} provides the implementation. Not for users to implement.
 */
public interface PipelineRunner {
    RunResult run(Pipeline pipeline, RunOptions options);
}
