package dev.flywheel.deploy.service;

import java.util.Objects;

/**
 * The observed status of a {@link Service}: what is true now, as opposed to its {@link DesiredState}.
 * Stored as its {@link #text()} ({@code inactive}, {@code pending_startup}, {@code active}, {@code pending_shutdown},
 * {@code error}).
 */
public sealed interface ServiceStatus {

    record Inactive() implements ServiceStatus {
    }

    record PendingStartup() implements ServiceStatus {
    }

    record Active() implements ServiceStatus {
    }

    record PendingShutdown() implements ServiceStatus {
    }

    /** The service should run but does not, or cannot; {@code lastError} says why. */
    record Failed(String lastError) implements ServiceStatus {
        public Failed {
            Objects.requireNonNull(lastError, "lastError");
        }
    }

    ServiceStatus INACTIVE = new Inactive();
    ServiceStatus PENDING_STARTUP = new PendingStartup();
    ServiceStatus ACTIVE = new Active();
    ServiceStatus PENDING_SHUTDOWN = new PendingShutdown();

    default String text() {
        return switch (this) {
            case Inactive i -> "inactive";
            case PendingStartup p -> "pending_startup";
            case Active a -> "active";
            case PendingShutdown p -> "pending_shutdown";
            case Failed f -> "error";
        };
    }

    static ServiceStatus parse(String text, String lastError) {
        return switch (text) {
            case "inactive" -> INACTIVE;
            case "pending_startup" -> PENDING_STARTUP;
            case "active" -> ACTIVE;
            case "pending_shutdown" -> PENDING_SHUTDOWN;
            case "error" -> new Failed(lastError == null ? "unknown error" : lastError);
            default -> throw new IllegalArgumentException("unknown service status '" + text + "' in the metadata store");
        };
    }
}
