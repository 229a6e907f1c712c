package dev.flywheel.deploy.local;

import dev.flywheel.daemon.ProcessId;
import dev.flywheel.daemon.Termination;

import java.time.Duration;
import java.util.Optional;

/**
 * A process of a service, found by pid and accepted only if it is still ours: pids are reused, so a pid is trusted
 * only while the process's command line names the service's uuid.
 */
final class OwnedProcess {
    private OwnedProcess() {
    }

    static Optional<ProcessHandle> find(long pid, String marker) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> ProcessId.commandLine(pid).contains(marker));
    }

    /** SIGTERM (SIGKILL at once with {@code force}), up to {@code timeout} to end, then SIGKILL with its descendants. */
    static boolean stop(ProcessHandle p, Duration timeout, boolean force) {
        Termination.Result result = force ? Termination.kill(p) : Termination.stop(p, timeout);
        return result != Termination.Result.STILL_RUNNING;
    }
}
