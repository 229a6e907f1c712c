package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;

/**
 * Starting a project daemon (the scheduler, the server) from a command: launched detached with its output appended to
 * its log, then awaited until it says it is ready. When it exits first, or is not ready in time (then it is stopped),
 * the start fails with UNAVAILABLE and the end of its log, which is where the daemon gave its reason.
 *
 * <pre>{@code
 * SchedulerStatus s = new DetachedStart(SCHEDULER, logFile()).start(command, timeout,
 *         launched -> readyFile().running().filter(p -> launched.test(p.pid())).map(p -> status()));
 * }</pre>
 *
 * @param wording what the messages call the daemon
 * @param log     the daemon's log file (created owner-only)
 */
public record DetachedStart(Wording wording, Path log) {
    /** Lines of the log a failed start shows. */
    private static final int LOG_LINES = 15;
    /** How long a daemon that was not ready in time may take to stop. */
    private static final Duration STOP_LATE = Duration.ofSeconds(5);

    /**
     * How a daemon is named in what its start says.
     *
     * @param launching  for "Cannot start {launching}" ({@code "the scheduler"})
     * @param subject    starts the sentences of a failed start ({@code "The scheduler"})
     * @param readyVerb  what it did not do in time ({@code "come up"}: "did not come up within 30 s")
     * @param exit       how its exit code reads inside the parentheses of "exited at start (...)"
     * @param waited     how the timeout reads
     */
    public record Wording(String launching, String subject, String readyVerb, IntFunction<String> exit, Function<Duration, String> waited) {
    }

    /** Whether the daemon is ready, given which pids are the launched one (the process itself or a descendant). */
    @FunctionalInterface
    public interface ReadyCheck<T> {
        Optional<T> ready(LongPredicate launched);
    }

    /**
     * Launches {@code command} detached and waits until {@code check} answers.
     *
     * @throws FlywheelException UNAVAILABLE when it cannot be started, exits before it is ready, or is not ready within
     *                           {@code timeout} (then it is stopped); the message ends with its log's last lines
     */
    public <T> T start(List<String> command, Duration timeout, ReadyCheck<T> check) {
        Process process = Launch.of(command).detached().logTo(log).start(wording.launching());
        // the daemon is the launched process itself (setsid and the launcher script exec), or a child of it
        LongPredicate launched = pid -> pid == process.pid() || process.descendants().anyMatch(d -> d.pid() == pid);
        return switch (Readiness.await(process, timeout, () -> check.ready(launched))) {
            case Readiness.Outcome.Ready<T> ready -> ready.value();
            case Readiness.Outcome.Exited<T> exited -> throw new FlywheelException(ErrorCode.UNAVAILABLE,
                    wording.subject() + " exited at start (" + wording.exit().apply(exited.exitCode()) + "); see its log " + log + ":\n"
                            + LogTail.text(log, LOG_LINES));
            case Readiness.Outcome.TimedOut<T> late -> {
                Termination.stop(process.toHandle(), STOP_LATE);
                throw new FlywheelException(ErrorCode.UNAVAILABLE, wording.subject() + " did not " + wording.readyVerb() + " within "
                        + wording.waited().apply(timeout) + ", so it was stopped; see its log " + log + ":\n" + LogTail.text(log, LOG_LINES));
            }
        };
    }
}
