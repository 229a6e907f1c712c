package dev.flywheel.cd;

/** What the gate compares the challenger with. */
public enum CompareWith {
    /**
     * The version the model's server serves now (this step's service, else a service that follows production); the
     * registry's production version when nothing serves the model.
     */
    SERVED,
    /** The registry's production version, whatever serves. */
    PRODUCTION
}
