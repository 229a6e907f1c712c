package dev.flywheel.deploy;

import java.util.Objects;
import java.util.UUID;

/** Where a deployment goes: which service serves the new version. */
public sealed interface Placement {

    /**
     * The service of the deployment's (pipeline, step, model): switched to the new version when it exists (a hot swap
     * while it answers), else started. What a pipeline's deployer step uses.
     */
    record StepService() implements Placement {
    }

    /** A new service beside any others, with its own name (unique) or none. */
    record NewService(String name) implements Placement {
    }

    /**
     * This service switches to the new version and follows what the deployment follows; it keeps its pipeline, step
     * and port. A service that answers is hot-swapped; one that should run but does not is started on the new version;
     * a stopped one is only re-pointed (it serves the new version when started) unless {@code start}.
     */
    record Existing(UUID uuid, boolean start) implements Placement {
        public Existing {
            Objects.requireNonNull(uuid, "uuid");
        }
    }
}
