package dev.flywheel.sdk;

/** The state of one step of a run. {@code CACHED} means the outputs of an earlier identical execution were reused. */
public enum StepStatus {
    PENDING, RUNNING, SUCCEEDED, CACHED, FAILED, SKIPPED;

    public boolean succeeded() {
        return this == SUCCEEDED || this == CACHED;
    }
}
