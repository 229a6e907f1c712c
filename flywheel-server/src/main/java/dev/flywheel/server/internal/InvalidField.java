package dev.flywheel.server.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

/** Bad input in one named field of a request (a query parameter, a path segment, a body property): 400 naming it. */
public final class InvalidField extends FlywheelException {
    private final String field;

    public InvalidField(String field, String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
