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

    /**
     * What this orchestrator would submit for a run of {@code pipeline} (the manifests of a cluster orchestrator), as
     * text, submitting and recording nothing; {@code options} are checked as for a run.
     *
     * @throws dev.flywheel.sdk.FlywheelException INVALID_ARGUMENT for an orchestrator that runs steps in this process
     */
    default String render(Pipeline pipeline, RunOptions options) {
        throw dev.flywheel.sdk.FlywheelException.invalid("this stack's orchestrator runs steps in this process and has no manifests to"
                + " render; --render shows what a cluster orchestrator submits (flywheel orchestrator register k8s --flavor kubernetes"
                + " ..., then run with --stack)");
    }
}
