package dev.flywheel.sdk;

/**
 * What a running step may ask of Flywheel. One instance per step execution; safe to use from the step's
 * thread and from threads the step starts.
 */
public interface StepContext {

    String pipelineName();

    String runId();

    String stepName();

    /** The attempt number, starting at 1; greater than 1 when the step is being retried. */
    int attempt();

    /** Adds a line to the step's log, stored with the step run ({@code flywheel runs describe ID --logs}). */
    void log(String message);

    /** Adds a formatted line ({@link String#format}) to the step's log. */
    default void log(String format, Object... args) {
        log(String.format(format, args));
    }

    /** Records a metadata value (a metric, a row count) with the step run; shown by {@code runs describe}. */
    void metadata(String key, Object value);

    /**
     * A component of the stack this run uses, by type: for example the model registry or the model deployer that
     * ready-made steps (the deployment gate) work with.
     *
     * @throws FlywheelException with {@link ErrorCode#NOT_FOUND} when the stack has no such component; the message
     *         names the type and how to add one
     */
    <T> T component(Class<T> type);
}
