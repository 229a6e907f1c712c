package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler daemon's folder ({@code .flywheel/scheduler/}, owner-only): {@code scheduler.pid} holds the pid and
 * the process's start time, so a pid reused by another process after a crash is not mistaken for the daemon;
 * {@code scheduler.log} its log; {@code webhook.port} the endpoint's port; {@code heartbeat.json} what its loop last
 * reported ({@link Heartbeat}); {@code runs/} the children's logs.
 */
public record DaemonFiles(Path dir) {
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

    /** Creates the folder (owner-only) and an empty owner-only log file, if missing; returns the log file. */
    public Path createLog() {
        try {
            PrivateFiles.createDirectories(dir);
            PrivateFiles.createFile(logFile());
            return logFile();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create " + logFile() + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the heartbeat file atomically (owner-only). */
    public void writeHeartbeat(Heartbeat beat) {
        writePrivately(heartbeatFile(), StoreJson.write(beat));
    }

    /** The last heartbeat written here, if any can be read. */
    public Optional<Heartbeat> heartbeat() {
        try {
            return Optional.of(StoreJson.mapper().readValue(Files.readString(heartbeatFile()), Heartbeat.class));
        } catch (IOException e) {
            return Optional.empty(); // none yet, or being replaced: the status says "no heartbeat"
        }
    }

    /** Writes {@code text} to {@code file} through an owner-only temporary file and an atomic rename. */
    public static void writePrivately(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The daemon recorded in the pid file, if that exact process still runs. */
    public Optional<ProcessHandle> running() {
        String text;
        try {
            text = Files.readString(pidFile()).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + pidFile() + ": " + e.getMessage(), e);
        }
        String[] parts = text.split("\\s+");
        try {
            long pid = Long.parseLong(parts[0]);
            long startedMillis = parts.length > 1 ? Long.parseLong(parts[1]) : -1;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> startedMillis < 0 || p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - startedMillis) < 2000).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Claims the pid file for this process.
     *
     * @throws FlywheelException CONFLICT when another live daemon holds it
     */
    public void claim() {
        Optional<ProcessHandle> other = running();
        if (other.isPresent() && other.get().pid() != ProcessHandle.current().pid()) {
            throw new FlywheelException(ErrorCode.CONFLICT, "A scheduler already runs for this project (pid " + other.get().pid()
                    + "); stop it with: flywheel scheduler stop");
        }
        ProcessHandle me = ProcessHandle.current();
        long started = me.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        writePrivately(pidFile(), me.pid() + " " + started + "\n");
    }

    /** Removes the pid and port files if they still name this process. */
    public void release() {
        Optional<ProcessHandle> holder = running();
        if (holder.isEmpty() || holder.get().pid() == ProcessHandle.current().pid()) {
            try {
                Files.deleteIfExists(pidFile());
                Files.deleteIfExists(portFile());
                Files.deleteIfExists(heartbeatFile());
            } catch (IOException e) {
                // best effort on shutdown; a stale pid file is detected by its start time
            }
        }
    }
}
