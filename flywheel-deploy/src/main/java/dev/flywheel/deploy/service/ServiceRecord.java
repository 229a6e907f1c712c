package dev.flywheel.deploy.service;

import dev.flywheel.deploy.DeploymentConfig;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A service as the metadata store keeps it. Also the artifact a deploy step returns: it is plain data (JSON), and
 * {@code ModelDeployer.get(uuid)} turns it back into a live {@link Service}.
 *
 * @param uuid          the service id
 * @param flavor        the deployer flavor that owns it ({@code local})
 * @param config        what it serves and for which pipeline step
 * @param desiredState  what the user asked for
 * @param status        the last observed status ({@link ServiceStatus.Failed} carries the last error)
 * @param lastError     the last error seen, kept after a recovery (for example a restart after a crash); may be null
 * @param predictionUrl the URL clients post predictions to, or null before the first start
 * @param pid           the supervising process, or 0
 * @param port          the bound port, or 0
 * @param restartCount  how often the server process was restarted after a crash
 * @param name          the service's own name ({@code models deploy --as demand-v1}), unique; null when it has none
 * @param serverPid     the prediction server process, or 0 (the supervisor is {@code pid})
 */
public record ServiceRecord(UUID uuid, String flavor, DeploymentConfig config, DesiredState desiredState, ServiceStatus status,
                            String lastError, String predictionUrl, long pid, int port, int restartCount,
                            Instant createdAt, Instant updatedAt, String name, long serverPid) {
    public ServiceRecord(UUID uuid, String flavor, DeploymentConfig config, DesiredState desiredState, ServiceStatus status,
                         String lastError, String predictionUrl, long pid, int port, int restartCount, Instant createdAt, Instant updatedAt) {
        this(uuid, flavor, config, desiredState, status, lastError, predictionUrl, pid, port, restartCount, createdAt, updatedAt, null, 0);
    }

    public ServiceRecord {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(desiredState, "desiredState");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public String modelName() {
        return config.modelName();
    }

    public int modelVersion() {
        return config.modelVersion();
    }

    public String pipelineName() {
        return config.pipelineName();
    }

    public String stepName() {
        return config.stepName();
    }

    public String runId() {
        return config.runId();
    }

    /** The name to show for the service: its own name, else its uuid. */
    public String label() {
        return name != null ? name : uuid.toString();
    }

    public ServiceRecord withConfig(DeploymentConfig c, Instant now) {
        return new ServiceRecord(uuid, flavor, c, desiredState, status, lastError, predictionUrl, pid, port, restartCount, createdAt, now,
                name, serverPid);
    }

    public ServiceRecord withDesired(DesiredState d, Instant now) {
        return new ServiceRecord(uuid, flavor, config, d, status, lastError, predictionUrl, pid, port, restartCount, createdAt, now,
                name, serverPid);
    }

    public ServiceRecord observed(ServiceStatus s, String error, String url, long newPid, int newPort, int restarts, Instant now) {
        return observed(s, error, url, newPid, serverPid, newPort, restarts, now);
    }

    public ServiceRecord observed(ServiceStatus s, String error, String url, long supervisor, long server, int newPort, int restarts,
                                  Instant now) {
        return new ServiceRecord(uuid, flavor, config, desiredState, s, error, url, supervisor, newPort, restarts, createdAt, now,
                name, server);
    }
}
