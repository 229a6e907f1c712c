package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A daemon's pid file: the {@link ProcessId} (pid and start time) of the process that holds it. A process found
 * through it is trusted only while it is that exact process, so a pid the system gave to another program after a
 * crash is never taken for the daemon (and never signalled).
 */
public record PidFile(Path file) {

    /** What the file records, if it holds a process id. */
    public Optional<ProcessId> read() {
        return DaemonFolder.read(file).flatMap(ProcessId::parse);
    }

    /** The recorded process, while it runs. */
    public Optional<ProcessHandle> running() {
        return running(null);
    }

    /**
     * The recorded process, while it runs. A file from an older version holds a bare pid: then the process's
     * command line must contain {@code legacyMarker} (for example the service's uuid) for it to count.
     */
    public Optional<ProcessHandle> running(String legacyMarker) {
        Optional<ProcessId> id = read();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> live = id.get().live();
        if (id.get().startedAt() == null && legacyMarker != null) {
            return live.filter(p -> ProcessId.commandLine(p.pid()).contains(legacyMarker));
        }
        return live;
    }

    /** Records {@code process} as the holder. */
    public void write(ProcessHandle process) {
        write(ProcessId.of(process));
    }

    public void write(ProcessId id) {
        DaemonFolder.writeAtomically(file, id.text() + "\n");
    }

    /**
     * Makes this process the holder.
     *
     * @param conflict what to tell the user when another live process holds the file, given its pid
     * @throws FlywheelException CONFLICT when another process that still runs holds it
     */
    public void claim(java.util.function.LongFunction<String> conflict) {
        Optional<ProcessHandle> other = running();
        if (other.isPresent() && other.get().pid() != ProcessHandle.current().pid()) {
            throw new FlywheelException(ErrorCode.CONFLICT, conflict.apply(other.get().pid()));
        }
        write(ProcessHandle.current());
    }

    /** Removes the file if it names this process (or nothing that runs); a file another live process holds stays. */
    public void release() {
        Optional<ProcessHandle> holder = running();
        if (holder.isEmpty() || holder.get().pid() == ProcessHandle.current().pid()) {
            delete();
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot remove " + file + ": " + e.getMessage());
        }
    }
}
