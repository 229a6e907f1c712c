package dev.flywheel.deploy.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.deploy.service.ServiceJson;

/**
 * What the supervisor of a local service last wrote about its server ({@code state.json}).
 *
 * @param phase        starting, running, backoff, stopping, stopped or failed
 * @param serverPid    the prediction server's pid, or 0
 * @param port         the bound port, or 0 before the first start
 * @param restartCount restarts after crashes so far
 * @param lastError    the last crash or start failure, or null
 */
record SupervisorState(String phase, long serverPid, int port, int restartCount, String lastError) {
    static final String STARTING = "starting";
    static final String RUNNING = "running";
    static final String BACKOFF = "backoff";
    static final String STOPPING = "stopping";
    static final String STOPPED = "stopped";
    static final String FAILED = "failed";

    static SupervisorState read(ServiceFolder folder) {
        return ServiceFolder.read(folder.state()).map(json -> {
            try {
                return ServiceJson.MAPPER.readValue(json, SupervisorState.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        }).orElse(null);
    }

    void write(ServiceFolder folder) {
        try {
            ServiceFolder.writeAtomically(folder.state(), ServiceJson.MAPPER.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write supervisor state", e);
        }
    }

    SupervisorState with(String newPhase, long pid, int newPort, int restarts, String error) {
        return new SupervisorState(newPhase, pid, newPort, restarts, error);
    }
}
