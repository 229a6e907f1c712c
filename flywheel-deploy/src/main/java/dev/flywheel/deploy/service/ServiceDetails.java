package dev.flywheel.deploy.service;

import java.util.List;
import java.util.Objects;

/**
 * What a flavor knows about a service beyond its record, for {@code served-models describe}: the object it manages
 * (a cluster object as YAML), that object's conditions and its recent events. The {@code local} flavor has none.
 *
 * @param object     the managed object as its system shows it (YAML), or null when it does not exist
 * @param conditions the object's status conditions, in the order the system lists them
 * @param events     recent events about the object, oldest first, one line each
 */
public record ServiceDetails(String object, List<Condition> conditions, List<String> events) {
    public ServiceDetails {
        conditions = List.copyOf(conditions);
        events = List.copyOf(events);
    }

    /** One status condition: {@code Ready=False (RevisionMissing: the image cannot be pulled)}. */
    public record Condition(String type, String status, String reason, String message) {
        public Condition {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(status, "status");
        }

        public String describe() {
            String why = reason == null && message == null ? "" : " (" + (reason == null ? "" : reason)
                    + (reason != null && message != null ? ": " : "") + (message == null ? "" : message) + ")";
            return type + "=" + status + why;
        }
    }
}
