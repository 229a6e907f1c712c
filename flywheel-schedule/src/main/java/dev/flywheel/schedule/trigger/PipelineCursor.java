package dev.flywheel.schedule.trigger;

/**
 * What a pipeline-finished trigger has seen: runs of the upstream pipeline that finished before
 * {@code finishedFromMillis} are done with. Runs finishing at exactly that millisecond are looked at again; the
 * fire's key (the upstream run id) keeps them from firing twice.
 */
public record PipelineCursor(long finishedFromMillis) {
}
