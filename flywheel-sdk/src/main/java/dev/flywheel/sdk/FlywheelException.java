package dev.flywheel.sdk;

import java.util.Objects;

/**
 * The one exception type Flywheel throws for conditions a user can act on. The message says what is wrong,
 * where, and how to fix it; the code decides the exit code and HTTP status (see {@link ErrorCode}).
 */
public class FlywheelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public FlywheelException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public FlywheelException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static FlywheelException notFound(String message) {
        return new FlywheelException(ErrorCode.NOT_FOUND, message);
    }

    public static FlywheelException invalid(String message) {
        return new FlywheelException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static FlywheelException conflict(String message) {
        return new FlywheelException(ErrorCode.CONFLICT, message);
    }
}
