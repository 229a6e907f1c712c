package dev.flywheel.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stopping a daemon: SIGTERM and a grace period in which it finishes what it does and stops its own children, then
 * SIGKILL for it and for every descendant that is still there. The descendants are listed before the first signal,
 * so a child the daemon started a moment before it was killed (and had not yet recorded) is not left running.
 */
public final class Termination {
    /** How long a killed process may take to disappear. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private Termination() {
    }

    /** How a stop ended. */
    public enum Result {
        /** It (and its descendants) ended within the grace period. */
        EXITED,
        /** It or a descendant had to be killed. */
        KILLED,
        /** Something survived even SIGKILL (a process stuck in the kernel); its pid is still taken. */
        STILL_RUNNING
    }

    /** SIGTERM, up to {@code grace} for it and its descendants to end, then SIGKILL for whatever is left. */
    public static Result stop(ProcessHandle process, Duration grace) {
        List<ProcessHandle> family = family(process);
        process.destroy();
        boolean ended = waitGone(process, grace);
        long left = Math.max(1, grace.toMillis() / 4);
        for (ProcessHandle p : family) {
            // the daemon's own shutdown stops its children; give them a moment after it to do so
            ended &= waitGone(p, Duration.ofMillis(left));
        }
        if (ended) {
            return Result.EXITED;
        }
        return kill(family) ? Result.KILLED : Result.STILL_RUNNING;
    }

    /** SIGKILL for the process and its descendants at once: nothing runs a shutdown. */
    public static Result kill(ProcessHandle process) {
        return kill(family(process)) ? Result.KILLED : Result.STILL_RUNNING;
    }

    /** Waits until {@code process} has ended; true when it has, false when {@code timeout} passed first. */
    public static boolean waitGone(ProcessHandle process, Duration timeout) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            process.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static List<ProcessHandle> family(ProcessHandle process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        process.descendants().forEach(all::add);
        return all;
    }

    private static boolean kill(List<ProcessHandle> family) {
        family.forEach(ProcessHandle::destroyForcibly);
        boolean gone = true;
        for (ProcessHandle p : family) {
            gone &= waitGone(p, AFTER_KILL);
        }
        return gone;
    }

    /** {@code exited with code 137 (SIGKILL)}: an exit status as a person reads it. */
    public static String describeExit(int code) {
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
