package dev.flywheel.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waiting for a process to become ready: polls a check until it answers, the process exits first, or the time is up.
 * The poll wakes at once when the process exits, so a daemon that fails at start is reported without waiting out
 * the timeout.
 */
public final class Readiness {
    private static final long POLL_MILLIS = 20;

    private Readiness() {
    }

    /** How a wait ended. */
    public sealed interface Outcome<T> {
        /** The check answered {@code value}. */
        record Ready<T>(T value) implements Outcome<T> {
        }

        /** The process exited before the check answered; {@code exitCode} is -1 when it was not our child. */
        record Exited<T>(int exitCode) implements Outcome<T> {
        }

        /** Neither happened within the timeout; the process still runs. */
        record TimedOut<T>(Duration waited) implements Outcome<T> {
        }
    }

    /**
     * Polls {@code check} until it answers. {@code process} is the process being waited for, or null when there is
     * none to watch (then only the check and the timeout end the wait).
     */
    public static <T> Outcome<T> await(Process process, Duration timeout, Supplier<Optional<T>> check) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Optional<T> answer = check.get();
            if (answer.isPresent()) {
                return new Outcome.Ready<>(answer.get());
            }
            if (process != null && !process.isAlive()) {
                // it may have become ready just before exiting: the check decides once more
                Optional<T> last = check.get();
                return last.<Outcome<T>>map(Outcome.Ready::new).orElseGet(() -> new Outcome.Exited<>(process.exitValue()));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Outcome.TimedOut<>(Duration.ofNanos(System.nanoTime() - start));
            }
            pause(process, Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), left));
        }
    }

    private static void pause(Process process, long nanos) {
        try {
            if (process != null) {
                process.waitFor(nanos, TimeUnit.NANOSECONDS);
            } else {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a daemon to become ready", e);
        }
    }
}
