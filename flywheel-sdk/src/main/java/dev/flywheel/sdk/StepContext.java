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
}
