package dev.flywheel.sdk;

/** The state of a pipeline run. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this != RUNNING;
    }
}
