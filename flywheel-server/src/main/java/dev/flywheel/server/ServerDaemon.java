package dev.flywheel.server;

import dev.flywheel.daemon.DaemonFolder;
import dev.flywheel.daemon.DetachedStart;
import dev.flywheel.daemon.PidFile;
import dev.flywheel.daemon.Termination;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A project's server as a daemon, on the same kit as the scheduler and the prediction-server supervisors:
 * {@link #start} launches it detached and waits until it answers, {@link #stop} stops it (grace, then kill),
 * {@link #status} reads its state file and asks its health endpoint, and {@link #run} is the server itself, in the
 * daemon or in the foreground (containers). Its folder {@code .flywheel/server/} (owner-only) holds
 * {@code server.pid} (claimed by the running server), {@code server.json} (pid, process
 * start, URL, written once it listens: see {@link ServerState}) and {@code server.log}.
 *
 * <pre>{@code
 * ServerDaemon daemon = new ServerDaemon(flywheel.home().dir());
 * ServerState s = daemon.start(command, ServerDaemon.START_TIMEOUT); // command: "flywheel --home H server up --foreground ..."
 * daemon.stop(ServerDaemon.STOP_GRACE);
 * }</pre>
 */
public final class ServerDaemon {
    private static final Logger log = LoggerFactory.getLogger(ServerDaemon.class);
    /** How long {@code start} waits for the server to answer its health check. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a stopping server may take to finish its requests before it is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private static final DetachedStart.Wording WORDING = new DetachedStart.Wording("the Flywheel server", "The server", "answer",
            Termination::describeExit, t -> t.toSeconds() + " s");

    private final Path home;

    /** The daemon of the project whose {@code .flywheel/} folder is {@code projectHome}. */
    public ServerDaemon(Path projectHome) {
        this.home = projectHome.toAbsolutePath();
    }

    /** {@code .flywheel/server/}. */
    public Path dir() {
        return ServerState.file(home).getParent();
    }

    public Path logFile() {
        return dir().resolve("server.log");
    }

    /** Whether the server runs and answers now (its process and its health endpoint). */
    public ServerState.Status status() {
        return ServerState.observe(home);
    }

    /**
     * Launches the server detached from this process ({@code command} runs {@link #run} in the foreground) and waits
     * until the process it launched has written its state and answers.
     *
     * @throws FlywheelException CONFLICT when a server already runs on the project; UNAVAILABLE with the end of its log
     *                           when it exits at start (a port in use, a broken store) or does not answer within
     *                           {@code timeout} (then it is stopped)
     */
    public ServerState start(List<String> command, Duration timeout) {
        if (status() instanceof ServerState.Status.Running running) {
            throw alreadyRunning(running.state());
        }
        DaemonFolder.create(dir());
        ServerState started = new DetachedStart(WORDING, logFile()).start(command, timeout, launched ->
                status() instanceof ServerState.Status.Running r && launched.test(r.state().pid()) ? Optional.of(r.state()) : Optional.empty());
        log.info("server started: pid={} url={}", started.pid(), started.url());
        return started;
    }

    /**
     * Stops the project's server: SIGTERM (its requests finish, then it removes its state file), up to {@code grace},
     * then SIGKILL. A state file left by a server that is gone is removed.
     *
     * @return the server that was stopped, or empty when none ran
     */
    public Optional<ServerState> stop(Duration grace) {
        return switch (status()) {
            case ServerState.Status.Stopped s -> Optional.empty();
            case ServerState.Status.Stale s -> {
                s.state().process().ifPresent(p -> Termination.stop(p, grace));
                s.state().remove(home);
                yield Optional.empty();
            }
            case ServerState.Status.Running r -> {
                ProcessHandle p = r.state().process().orElseThrow();
                if (Termination.stop(p, grace) == Termination.Result.STILL_RUNNING) {
                    throw new FlywheelException(ErrorCode.UNAVAILABLE, "The server (pid " + p.pid() + ") did not end even when killed;"
                            + " check it with: ps -p " + p.pid());
                }
                r.state().remove(home); // a server killed before its shutdown hook ran leaves it
                log.info("server stopped: pid={}", p.pid());
                yield Optional.of(r.state());
            }
        };
    }

    /**
     * Runs the server in this process until the JVM shuts down (SIGTERM from {@link #stop}, Ctrl-C): starts it on
     * {@code flywheel}, writes the state file, tells {@code started}, and on shutdown lets requests finish, removes
     * the state file and closes {@code flywheel}.
     *
     * @throws FlywheelException CONFLICT when a server already runs on the project (then {@code flywheel} is closed)
     */
    public void run(Flywheel flywheel, ServerSettings settings, Clock clock, Consumer<FlywheelServer> started) throws InterruptedException {
        FlywheelServer server;
        PidFile pid = DaemonFolder.create(dir()).pidFile("server.pid");
        try {
            if (status() instanceof ServerState.Status.Running running) {
                throw alreadyRunning(running.state());
            }
            // the pid file decides between two servers started at once (the state file is written only once one listens)
            pid.claim(other -> "A server already runs on this project (pid " + other + "); stop it with: flywheel server down");
        } catch (RuntimeException e) {
            flywheel.close();
            throw e;
        }
        try {
            server = FlywheelServer.start(flywheel, settings, clock);
        } catch (RuntimeException e) {
            pid.release();
            flywheel.close();
            throw e;
        }
        ServerState state = ServerState.of(server, clock.instant());
        state.write(home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            state.remove(home);
            pid.release();
            flywheel.close();
            stopped.countDown();
        }, "flywheel-server-stop"));
        started.accept(server);
        stopped.await();
    }

    private static FlywheelException alreadyRunning(ServerState state) {
        return FlywheelException.conflict("A server already runs on this project at " + state.url() + " (pid " + state.pid()
                + "); stop it with: flywheel server down");
    }
}
