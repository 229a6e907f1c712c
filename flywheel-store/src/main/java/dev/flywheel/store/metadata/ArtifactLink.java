package dev.flywheel.store.metadata;

/** Lineage: a step run consumed ({@link Direction#INPUT}) or produced ({@link Direction#OUTPUT}) an artifact under a name. */
public record ArtifactLink(String stepRunId, Direction direction, String name, String artifactId) {
    public enum Direction {
        INPUT, OUTPUT
    }
}
