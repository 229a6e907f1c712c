package dev.flywheel.sdk;

/**
 * What a schedule does with the fires it missed while no scheduler was running (the machine was off, the
 * daemon crashed, a deploy took it down). A fire counts as missed when the scheduler sees it more than a small
 * misfire threshold (one minute by default) after its time; a fire seen within the threshold is on time and
 * always launches, whatever the policy. Fires the policy does not launch are recorded as skipped, so they show
 * in the schedule's history.
 */
public enum CatchUp {
    /**
     * Launch every missed fire, oldest first, each as its own run with its own fire time. The number of catch-up
     * runs is capped (100 by default); when more were missed, the oldest ones are skipped and a warning is logged.
     */
    ALL,
    /**
     * Launch only the most recent missed fire, once; every older missed fire is skipped. The default: a pipeline
     * that trains on the newest data gains nothing from running once per missed fire.
     */
    LATEST,
    /** Launch none of the missed fires; all are skipped and the schedule waits for its next fire. */
    SKIP
}
