package dev.flywheel.sdk;

/**
 * Observes a run as it happens, for progress output or metrics. Every {@code stepStarted} is followed by one
 * {@code stepFinished}; skipped and cached steps get only {@code stepFinished}. Methods are called from the
 * orchestrator's threads, possibly concurrently for parallel steps; they must be quick and must not throw
 * (an exception is logged and ignored).
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void runStarted(String runId, Pipeline pipeline) {
    }

    default void stepStarted(String runId, String step, int attempt) {
    }

    default void stepFinished(String runId, StepResult result) {
    }

    default void runFinished(RunResult result) {
    }
}
