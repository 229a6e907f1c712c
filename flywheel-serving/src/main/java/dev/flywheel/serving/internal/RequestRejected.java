package dev.flywheel.serving.internal;

/** A request refused for an HTTP-level reason (413, 415, 401, 403, 404) with a message for the client. */
public final class RequestRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RequestRejected(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
