package dev.flywheel.deploy.local;

import dev.flywheel.daemon.DaemonFolder;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * The state of one local service on disk, {@code .flywheel/services/<uuid>/}: the deployment it serves, the
 * supervisor's and server's pids and state, the logs and copies of each model version it served (never the admin
 * token: that lives in the secrets store, see {@link AdminTokens}).
 * Every file other processes read is written to a temporary name and renamed, so nobody reads half a file.
 */
record ServiceFolder(Path dir, UUID uuid) {

    static ServiceFolder of(Path servicesRoot, UUID uuid) {
        return new ServiceFolder(servicesRoot.resolve(uuid.toString()).toAbsolutePath().normalize(), uuid);
    }

    /** The deployment currently served (what the supervisor starts after a crash). */
    Path config() {
        return dir.resolve("config.json");
    }

    /** A deployment being swapped in; present only while a replace is in flight (or was cut off). */
    Path pending() {
        return dir.resolve("pending.json");
    }

    Path supervisorPid() {
        return dir.resolve("supervisor.pid");
    }

    Path serverPid() {
        return dir.resolve("server.pid");
    }

    Path state() {
        return dir.resolve("state.json");
    }

    /** What the supervisor last saw of its server ({@link Heartbeat}). */
    Path heartbeat() {
        return dir.resolve("heartbeat");
    }

    /** Present while the service's rollout is for its supervisor's controller to drive (holds nothing else). */
    Path rolloutMarker() {
        return dir.resolve("rollout");
    }

    Path ready() {
        return dir.resolve("ready");
    }

    /** Where Flywheel before the secrets store kept the admin token; read only to move it into the store. */
    Path olderAdminToken() {
        return dir.resolve("admin-token");
    }

    Path serverLog() {
        return dir.resolve("server.log");
    }

    Path supervisorLog() {
        return dir.resolve("supervisor.log");
    }

    Path modelDir(int version) {
        return dir.resolve("models").resolve("v" + version);
    }

    static Optional<String> read(Path file) {
        return DaemonFolder.read(file);
    }

    static long readLong(Path file) {
        return read(file).map(String::strip).filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).orElse(0L);
    }

    static void writeAtomically(Path file, String content) {
        DaemonFolder.writeAtomically(file, content);
    }
}
