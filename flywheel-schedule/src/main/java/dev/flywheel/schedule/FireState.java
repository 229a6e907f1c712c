package dev.flywheel.schedule;

/** Where one fire of a schedule or trigger is. A fire moves forward only, and is recorded once. */
public enum FireState {
    /** Due, waiting for a free run slot (the concurrency cap) or for the scheduler's next pass. */
    DEFERRED,
    /** Claimed by one scheduler, which is starting its child process. */
    PENDING,
    /** The child process runs; {@code pid} is set. */
    LAUNCHED,
    /** Not launched, by the catch-up policy. */
    SKIPPED,
    SUCCEEDED,
    FAILED;

    /** Holds a run slot (counts against the concurrency cap). */
    public boolean holdsSlot() {
        return this == PENDING || this == LAUNCHED;
    }

    public boolean finished() {
        return this == SKIPPED || this == SUCCEEDED || this == FAILED;
    }
}
