package dev.flywheel.deploy.service;

/**
 * One thing a deployer's {@code reconcile()} did to bring a service's record and processes in line with what it
 * observed and what is desired. {@code reconcile()} returns them in the order it took them; an empty list means the
 * record already matched what runs.
 */
public sealed interface ServiceAction {

    /**
     * A swap that a killed deployer left half-done was settled from the server's own answer: {@code applied} when the
     * server serves {@code version} (the record follows it), else the swap was dropped (the old version stays).
     */
    record SwapSettled(int version, boolean applied) implements ServiceAction {
    }

    /** The supervisor was gone while its server still answered: a new supervisor ({@code supervisorPid}) adopted it. */
    record ServerAdopted(long serverPid, long supervisorPid) implements ServiceAction {
    }

    /**
     * An admin token file an older Flywheel kept in the service folder was moved into the secrets store;
     * {@code fileDeleted} unless a supervisor of that older Flywheel still runs (the file goes once it is gone).
     */
    record AdminTokenMoved(boolean fileDeleted) implements ServiceAction {
    }

    /** The observation differed from the stored record, so the record was updated to it. */
    record Recorded(ServiceStatus status) implements ServiceAction {
    }
}
