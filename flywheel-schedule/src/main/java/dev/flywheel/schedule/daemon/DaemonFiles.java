package dev.flywheel.schedule.daemon;

import dev.flywheel.daemon.DaemonFolder;
import dev.flywheel.daemon.PidFile;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The names in the scheduler daemon's folder ({@code .flywheel/scheduler/}, owner-only), on the local-daemon kit:
 * {@code scheduler.pid} (pid and start time, see {@link PidFile}), {@code scheduler.log} its log,
 * {@code webhook.port} the endpoint's port, {@code heartbeat.json} what its loop last reported ({@link Heartbeat}),
 * {@code runs/} the children's logs. The lifecycle itself is {@link SchedulerDaemon}'s.
 */
public record DaemonFiles(Path dir) {
    public DaemonFolder folder() {
        return new DaemonFolder(dir);
    }

    public PidFile pid() {
        return new PidFile(pidFile());
    }

    public Path pidFile() {
        return dir.resolve("scheduler.pid");
    }

    public Path logFile() {
        return dir.resolve("scheduler.log");
    }

    public Path portFile() {
        return dir.resolve("webhook.port");
    }

    public Path heartbeatFile() {
        return dir.resolve("heartbeat.json");
    }

    /**
     * Replaces the heartbeat file atomically (owner-only). The folder must exist: a removed folder is not brought back
     * (the daemon stops instead, see {@code FolderGuard}).
     */
    public void writeHeartbeat(Heartbeat beat) {
        DaemonFolder.writeAtomically(heartbeatFile(), StoreJson.write(beat));
    }

    /** The last heartbeat written here, if any can be read. */
    public Optional<Heartbeat> heartbeat() {
        try {
            return Optional.of(StoreJson.mapper().readValue(Files.readString(heartbeatFile()), Heartbeat.class));
        } catch (IOException e) {
            return Optional.empty(); // none yet, or being replaced: the status says "no heartbeat"
        }
    }

    /** Writes {@code text} to {@code file} (its folder created owner-only) through the kit's atomic, owner-only write. */
    public static void writePrivately(Path file, String text) {
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + file + ": " + e.getMessage(), e);
        }
        DaemonFolder.writeAtomically(file, text);
    }
}
