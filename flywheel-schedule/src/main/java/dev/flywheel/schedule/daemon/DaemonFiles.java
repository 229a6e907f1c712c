package dev.flywheel.schedule.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler daemon's folder ({@code .flywheel/scheduler/}): {@code scheduler.pid} holds the pid and the
 * process's start time, so a pid reused by another process after a crash is not mistaken for the daemon;
 * {@code scheduler.log} its log; {@code webhook.port} the endpoint's port; {@code runs/} the children's logs.
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
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("scheduler.pid.tmp");
            Files.writeString(tmp, me.pid() + " " + started + "\n");
            Files.move(tmp, pidFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + pidFile() + ": " + e.getMessage(), e);
        }
    }

    /** Removes the pid and port files if they still name this process. */
    public void release() {
        Optional<ProcessHandle> holder = running();
        if (holder.isEmpty() || holder.get().pid() == ProcessHandle.current().pid()) {
            try {
                Files.deleteIfExists(pidFile());
                Files.deleteIfExists(portFile());
            } catch (IOException e) {
                // best effort on shutdown; a stale pid file is detected by its start time
            }
        }
    }
}
