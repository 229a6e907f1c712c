package dev.flywheel.deploy.service;

import java.time.Duration;

/**
 * A long-lived external thing a deployer manages, such as a prediction server: its record, its observed status and
 * the verbs to start and stop it. Status is observed, never assumed: {@link #status()} checks the process and its
 * health endpoint each time. Implementations are thread-safe; any number of {@code Service} objects (in any number of
 * processes) may refer to the same service.
 */
public interface Service {

    /** The record as last observed (refreshed by {@link #status()}, {@link #start}, {@link #stop}). */
    ServiceRecord record();

    /** Observes the service now (process alive and ours, health answering), stores and returns what it saw. */
    ServiceStatus status();

    /**
     * Starts the service unless it runs, and waits until it is healthy.
     *
     * @throws dev.flywheel.sdk.FlywheelException {@code DEPLOY_FAILED} with the reason when it cannot start,
     *         {@code UNAVAILABLE} when it did not become healthy within {@code timeout}
     */
    void start(Duration timeout);

    /** Stops the service and waits until it is gone; {@code force} kills it at once instead of letting requests finish. */
    void stop(Duration timeout, boolean force);

    /** The URL clients send predictions to, or null when it never started. */
    default String predictionUrl() {
        return record().predictionUrl();
    }

    /** The server's log file, when this flavor keeps one on this machine. */
    default java.util.Optional<java.nio.file.Path> logFile() {
        return java.util.Optional.empty();
    }

    default boolean isRunning() {
        return status() instanceof ServiceStatus.Active;
    }

    default boolean isFailed() {
        return status() instanceof ServiceStatus.Failed;
    }
}
