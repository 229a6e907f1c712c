package dev.flywheel.deploy.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.deploy.service.ServiceJson;

/**
 * What the supervisor of a local service last wrote about its server ({@code state.json}).
 *
 * @param phase        where the supervisor is
 * @param serverPid    the prediction server's pid, or 0
 * @param port         the bound port, or 0 before the first start
 * @param restartCount restarts after crashes so far
 * @param lastError    the last crash or start failure, or null
 */
record SupervisorState(SupervisorPhase phase, long serverPid, int port, int restartCount, String lastError) {

    static SupervisorState read(ServiceFolder folder) {
        return ServiceFolder.read(folder.state()).map(json -> {
            try {
                return ServiceJson.MAPPER.readValue(json, SupervisorState.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return null; // half-written by a killed writer cannot happen (atomic rename); unreadable means unknown
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

    boolean is(SupervisorPhase p) {
        return phase == p;
    }

    SupervisorState with(SupervisorPhase newPhase, long pid, int newPort, int restarts, String error) {
        return new SupervisorState(newPhase, pid, newPort, restarts, error);
    }
}
