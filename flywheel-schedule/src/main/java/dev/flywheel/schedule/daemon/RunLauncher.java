package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.LaunchSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Starts one pipeline run outside the scheduler, the same way as {@code flywheel run}. The CLI provides the
 * child-process implementation; tests may provide their own. Implementations are called from the scheduler's
 * loop thread only.
 */
public interface RunLauncher {

    /**
     * Starts the run and returns at once.
     *
     * @throws dev.flywheel.sdk.FlywheelException UNAVAILABLE when the run cannot be started (the fire is then
     *                                            recorded as failed, with this message)
     */
    Launched launch(Request request);

    /**
     * What to start.
     *
     * @param trigger    the compact reason the run records ({@code RunOptions.trigger})
     * @param params     the source's params and the fire's own (for example the new files), merged
     * @param logFile    where the child's output goes
     * @param fireId     the fire ({@code FireRecord.id()}) the run records, so the scheduler finds the run by it
     * @param reasonJson the typed launch reason as JSON, which the run records; null when the fire has none
     */
    record Request(String pipeline, LaunchSpec launch, Map<String, String> params, String trigger, Path logFile, String fireId,
                   String reasonJson) {
        public Request {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(launch, "launch");
            params = Map.copyOf(params);
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(logFile, "logFile");
            Objects.requireNonNull(fireId, "fireId");
        }
    }

    /** A started run. */
    interface Launched {
        /** The process that records the run (its runs row carries this pid). */
        long pid();

        boolean isAlive();

        /** The exit code, once ended. */
        OptionalInt exitCode();

        /** Calls {@code action} once, on some thread, when the run's process ends. */
        void onExit(Runnable action);
    }
}
