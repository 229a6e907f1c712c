package dev.flywheel.sdk;

/**
 * The closed set of failure kinds. This enum is the one table that maps a failure to the CLI's exit code
 * and to the REST API's HTTP status, so every shell shows the same error the same way.
 */
public enum ErrorCode {
    /** A flag, parameter, file or request body is malformed. */
    INVALID_ARGUMENT(2, 400),
    /** A pipeline definition is wired wrongly (cycle, missing input, wrong type, duplicate step). */
    INVALID_PIPELINE(2, 400),
    /** The named thing (run, artifact, model, version, service, schedule, stack) does not exist. */
    NOT_FOUND(3, 404),
    /** The request contradicts the current state (promote an archived version, delete production). */
    CONFLICT(4, 409),
    /** A model file is corrupt or does not match its signature. */
    INVALID_MODEL(5, 422),
    /** A pipeline run finished with a failed step. */
    RUN_FAILED(6, 500),
    /** A deployment could not be completed; whatever served before still serves. */
    DEPLOY_FAILED(7, 502),
    /** A store, server or daemon is not reachable or not ready. */
    UNAVAILABLE(8, 503),
    /** No project store here: {@code flywheel init} has not been run. */
    NOT_INITIALIZED(9, 400),
    /**
     * Stored bytes are damaged: an artifact or model file no longer hashes to the sha256 recorded when it was
     * written (or was cut short). The message names the thing and both hashes.
     */
    CORRUPT(10, 500),
    /** A request to the Flywheel server carried no bearer token, or one that is unknown or revoked. */
    UNAUTHENTICATED(11, 401),
    /** The bearer token is valid but may not do this (a read-only token on a change). */
    PERMISSION_DENIED(12, 403),
    /** A request body is larger than the server accepts. */
    TOO_LARGE(13, 413),
    /**
     * The deployment gate rejected the new version ({@code flywheel run --report} in CI): the run itself succeeded and
     * its report says why; a CI job fails the pull request's check on this code alone.
     */
    GATE_REJECTED(20, 409),
    /** A bug in Flywheel: the message says what failed; please report it. */
    INTERNAL(70, 500);

    private final int exitCode;
    private final int httpStatus;

    ErrorCode(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
