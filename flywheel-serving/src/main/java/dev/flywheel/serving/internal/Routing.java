package dev.flywheel.serving.internal;

/**
 * Which versions answer requests: one, or a champion with a challenger beside it. A {@link ModelSlot} holds one
 * routing and switches to another with one atomic write, so a request sees the versions of exactly one routing.
 */
sealed interface Routing {
    ServedModel champion();

    /** One version answers everything. */
    record Single(ServedModel champion) implements Routing {
    }

    /** The challenger answers the client keys whose bucket is below {@code weight} (of 100). */
    record Canary(ServedModel champion, ServedModel challenger, int weight) implements Routing {
    }

    /** The champion answers everything; {@code weight} percent of requests are mirrored to the challenger. */
    record Shadow(ServedModel champion, ServedModel challenger, int weight) implements Routing {
    }
}
