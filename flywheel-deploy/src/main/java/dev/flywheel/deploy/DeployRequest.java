package dev.flywheel.deploy;

import dev.flywheel.registry.ModelRef;
import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code flywheel models deploy} asks for: a registered version (by number, alias or stage: the service follows
 * it) and which server takes it.
 *
 * @param ref      the version to serve; a stage or alias is what the service follows from then on
 * @param replace  switch the service that serves this model now (hot swap), whichever pipeline or step started it
 * @param service  with replace: the service to switch (id, id prefix or name), needed when several serve the model
 * @param startNew start another server beside those that serve the model
 * @param name     the new server's own name ({@code demand-v1}), or null
 * @param port     the new server's port, or 0 for a free one
 */
public record DeployRequest(ModelRef ref, boolean replace, String service, boolean startNew, String name, int port, Duration timeout) {
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

    public DeployRequest {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(timeout, "timeout");
        if (service != null) {
            replace = true;
        }
        if (name != null) {
            startNew = true;
        }
        if (replace && startNew) {
            throw FlywheelException.invalid("--replace/--service switch an existing server and --new/--as start another one; give one of them");
        }
        if (replace && port != 0) {
            throw FlywheelException.invalid("--port applies to a new server; a replaced server keeps its port");
        }
        if (name != null && (!name.matches(NAME) || name.matches("[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}"))) {
            throw FlywheelException.invalid("Service name '" + name + "' is not valid: use letters, digits, '.', '_' and '-' (at most 63, "
                    + "starting with a letter or digit), for example --as " + ref.model() + "-v1");
        }
    }

    /** Deploy {@code ref}: a new server when none serves the model, else refused with how to replace or add one. */
    public static DeployRequest of(ModelRef ref, Duration timeout) {
        return new DeployRequest(ref, false, null, false, null, 0, timeout);
    }

    public DeployRequest replacing(String serviceIdOrName) {
        return new DeployRequest(ref, true, serviceIdOrName, false, null, 0, timeout);
    }

    public DeployRequest asNew(String serviceName, int newPort) {
        return new DeployRequest(ref, false, null, true, serviceName, newPort, timeout);
    }
}
