package dev.flywheel.deploy.local;

import dev.flywheel.deploy.service.ServiceStatus;

/**
 * What a local service looks like at one moment, as {@link LocalDaemonService#observe()} reads it from the service's
 * folder (pids, the supervisor's state and heartbeat), the process table and the server's health endpoint.
 *
 * @param status        the status these facts add up to
 * @param supervisorPid the supervisor that runs (pid and ownership checked), or 0
 * @param serverPid     the prediction server that runs, or 0
 * @param port          the server's port, or 0 before its first start
 * @param restarts      restarts after crashes so far
 * @param lastError     the last crash or start failure, or null
 * @param orphanServing the supervisor is gone but its server still answers: reconcile adopts it
 * @param swapPending   a swap was cut off half-way ({@code pending.json}): reconcile settles it
 */
public record Observation(ServiceStatus status, long supervisorPid, long serverPid, int port, int restarts, String lastError,
                          boolean orphanServing, boolean swapPending) {

    Observation withSupervisor(long pid) {
        return new Observation(status, pid, serverPid, port, restarts, lastError, orphanServing, swapPending);
    }
}
