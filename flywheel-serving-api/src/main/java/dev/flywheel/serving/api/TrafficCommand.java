package dev.flywheel.serving.api;

import java.util.Objects;

/**
 * What {@code POST /admin/traffic} asks a server to do ({@link TrafficCodec} is its JSON, an {@code action} field
 * naming the kind). Every command is one switch of the server's routing: a request is answered by the versions of
 * one routing from start to end.
 */
public sealed interface TrafficCommand {

    /**
     * Serve {@code challenger} beside the champion: loaded and warmed up first (a version already loaded as the
     * challenger is kept), then one switch.
     *
     * @param mode       {@link TrafficMode#CANARY} (the challenger answers {@code weight} percent of client keys) or
     *                   {@link TrafficMode#SHADOW} (it receives {@code weight} percent of requests mirrored)
     * @param weight     0 to 100
     * @param challenger the version to serve beside the champion
     */
    record Split(TrafficMode mode, int weight, ModelVersionSpec challenger) implements TrafficCommand {
        public Split {
            Objects.requireNonNull(challenger, "challenger");
            if (mode == null || mode == TrafficMode.SINGLE) {
                throw new IllegalArgumentException("'mode' must be canary or shadow, got " + (mode == null ? "nothing" : mode.label()));
            }
            if (weight < 0 || weight > 100) {
                throw new IllegalArgumentException("'weight' must be a percentage from 0 to 100, got " + weight);
            }
        }
    }

    /** The challenger becomes the only version (one switch); the champion closes once its last request ends. */
    record Promote() implements TrafficCommand {
    }

    /** Every request back to the champion (one switch); the challenger closes once its last request ends. */
    record Abort() implements TrafficCommand {
    }
}
