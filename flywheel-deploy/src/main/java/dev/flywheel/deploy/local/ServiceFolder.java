package dev.flywheel.deploy.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The state of one local service on disk, {@code .flywheel/services/<uuid>/}: the deployment it serves, the
 * supervisor's and server's pids and state, the admin token, the logs and copies of each model version it served.
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

    Path ready() {
        return dir.resolve("ready");
    }

    Path adminToken() {
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
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + file + ": " + e.getMessage());
        }
    }

    static long readLong(Path file) {
        return read(file).map(String::strip).filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).orElse(0L);
    }

    static void writeAtomically(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + file + ": " + e.getMessage()
                    + "; check the disk space and the permissions of " + file.getParent());
        }
    }
}
