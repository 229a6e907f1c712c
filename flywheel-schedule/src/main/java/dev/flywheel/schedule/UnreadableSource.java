package dev.flywheel.schedule;

/**
 * A stored schedule or trigger whose definition cannot be read (written by another Flywheel version or edited by
 * hand). It never fires; it can only be deleted.
 *
 * @param kind "schedule" or "trigger"
 */
public record UnreadableSource(String kind, String id, String pipeline, String reason) {
}
