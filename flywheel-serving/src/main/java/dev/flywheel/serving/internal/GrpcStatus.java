package dev.flywheel.serving.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gRPC status of a failure: the same failure the REST shell answers with an HTTP status, same message. */
final class GrpcStatus {
    private GrpcStatus() {
    }

    static StatusRuntimeException of(Throwable e) {
        Status status;
        if (e instanceof RequestRejected r) {
            status = ofHttp(r.status());
        } else if (e instanceof FlywheelException f) {
            status = of(f.code());
        } else {
            return Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException();
        }
        return status.withDescription(e.getMessage()).asRuntimeException();
    }

    static Status of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, INVALID_PIPELINE, NOT_INITIALIZED -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT, INVALID_MODEL, GATE_REJECTED -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE, DEPLOY_FAILED -> Status.UNAVAILABLE;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case RUN_FAILED, CORRUPT, INTERNAL -> Status.INTERNAL;
        };
    }

    /** The transport-level refusals ({@link RequestRejected}) by their HTTP status. */
    static Status ofHttp(int http) {
        return switch (http) {
            case 400, 415 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 408 -> Status.DEADLINE_EXCEEDED;
            case 409, 422 -> Status.FAILED_PRECONDITION;
            case 413 -> Status.RESOURCE_EXHAUSTED;
            case 502, 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }
}
