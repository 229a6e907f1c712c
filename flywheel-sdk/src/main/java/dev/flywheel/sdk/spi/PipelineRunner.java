package dev.flywheel.sdk.spi;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.Schedule;

/**
 * Runs pipelines on behalf of {@link Pipeline#run()}. Found with {@link java.util.ServiceLoader};
 * {@code flywheel-runtime} provides the implementation. Not for users to implement.
 */
public interface PipelineRunner {
    RunResult run(Pipeline pipeline, RunOptions options);

    /**
     * Registers {@code schedule} for {@code pipeline} in the project's store, with what is needed to start the
     * pipeline later without the calling program (its class path); returns the schedule's id.
     */
    String schedule(Pipeline pipeline, Schedule schedule);
}
