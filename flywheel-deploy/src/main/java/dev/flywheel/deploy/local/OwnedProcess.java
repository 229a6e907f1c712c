package dev.flywheel.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLine(pid).contains(marker));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        }
    }

    /** Sends SIGTERM (or SIGKILL with {@code force}) and waits up to {@code timeout}; then kills. True when gone. */
    static boolean stop(ProcessHandle p, Duration timeout, boolean force) {
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        if (waitGone(p, timeout)) {
            return true;
        }
        p.destroyForcibly();
        return waitGone(p, Duration.ofSeconds(5));
    }

    static boolean waitGone(ProcessHandle p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (p.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                p.onExit().get(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // poll again until the deadline
            } catch (java.util.concurrent.ExecutionException e) {
                return !p.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !p.isAlive();
            }
        }
        return true;
    }

    /** "exited with code 137 (SIGKILL)": the exit status as a person reads it. */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            String signal = switch (code - 128) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + (code - 128);
            };
            return "exited with code " + code + " (" + signal + ")";
        }
        return "exited with code " + code;
    }
}
