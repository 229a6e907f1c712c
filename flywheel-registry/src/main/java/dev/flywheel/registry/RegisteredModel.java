package dev.flywheel.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A named model and a summary of its versions.
 *
 * @param latestVersion     the newest existing version, 0 when it has none
 * @param productionVersion the version in production, or null
 * @param aliases           alias to version number
 */
public record RegisteredModel(String name, String description, Map<String, String> tags, int versionCount, int latestVersion,
                              Integer productionVersion, Map<String, Integer> aliases, Instant createdAt, Instant updatedAt) {
    public RegisteredModel {
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
