package dev.flywheel.schedule;

/**
 * Which schedule or trigger, read without its definition (so also for one that cannot be read).
 *
 * @param kind "schedule", or the trigger's kind (folder, rows, webhook, pipeline)
 */
public record SourceRef(String kind, String id, String pipeline) {
}
