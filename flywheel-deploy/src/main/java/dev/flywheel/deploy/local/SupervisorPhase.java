package dev.flywheel.deploy.local;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a local service's supervisor is with its server, as it writes it to {@code state.json} (lower case, the
 * same words older versions wrote).
 */
enum SupervisorPhase {
    /** The server process was launched and has not said it is ready yet. */
    STARTING,
    /** The server is ready (or was adopted while serving). */
    RUNNING,
    /** The server crashed; the supervisor waits before it restarts it. */
    BACKOFF,
    /** The supervisor was told to stop and is stopping its server. */
    STOPPING,
    /** The supervisor stopped, and its server with it. */
    STOPPED,
    /** The server could not start, or crashed too often: the supervisor gave up and exited ({@code lastError} says why). */
    FAILED;

    @JsonValue
    String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static SupervisorPhase of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
