package dev.flywheel.engine;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;

/**
 * Runs a pipeline's steps in dependency order and records the run. A stack component: the {@code local}
 * flavor runs steps on threads of this process.
 */
public interface Orchestrator {

    /**
     * Runs {@code pipeline} to the end and returns how it went. A failing step fails the run and skips the steps
     * that depend on it; independent steps still run. Invalid {@code options} fail before anything is recorded.
     */
    RunResult run(Pipeline pipeline, RunOptions options, RunListener listener);
}
