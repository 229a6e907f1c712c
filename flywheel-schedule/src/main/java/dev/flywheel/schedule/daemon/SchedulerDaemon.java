package dev.flywheel.schedule.daemon;

import dev.flywheel.daemon.DaemonFolder;
import dev.flywheel.daemon.FolderGuard;
import dev.flywheel.daemon.DetachedStart;
import dev.flywheel.daemon.PidFile;
import dev.flywheel.daemon.Termination;
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
import java.util.function.Supplier;

/**
 * A project's scheduler as a background daemon: {@link #start}, {@link #stop}, {@link #status} from any process,
 * and {@link #run} inside the daemon (or in the foreground). Its folder ({@code .flywheel/scheduler/}, owner-only)
 * holds {@code scheduler.pid} (pid and start time, so a pid reused by another program is never taken for the
 * daemon), {@code scheduler.ready} (the same, once its scheduler runs), {@code scheduler.log}, {@code webhook.port},
 * {@code heartbeat.json} and {@code runs/} (the logs of the runs it launched); {@link DaemonFiles} names them.
 *
 * <pre>{@code
 * SchedulerDaemon daemon = flywheel.schedulerDaemon();
 * daemon.start(command, Duration.ofSeconds(30));   // command: how to run "scheduler run --daemon"
 * daemon.status().running();
 * daemon.stop(SchedulerDaemon.STOP_GRACE);                 // launched runs finish on their own
 * }</pre>
 */
public final class SchedulerDaemon {
    private static final Logger log = LoggerFactory.getLogger(SchedulerDaemon.class);
    /** How long a stopping scheduler may take to finish its pass before it is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** How long {@code start} waits for the daemon to hold its pid file (and listen for webhooks). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How often the daemon checks that its folder still exists. */
    private static final Duration GUARD_INTERVAL = Duration.ofSeconds(1);
    /** The daemon's exit code when it stops because its folder is gone (the UNAVAILABLE exit code). */
    private static final int FOLDER_GONE_EXIT = ErrorCode.UNAVAILABLE.exitCode();

    /** Written by the daemon once its scheduler runs; start waits for it. */
    private static final String READY = "scheduler.ready";
    private static final String PORT = "webhook.port";
    private static final String HEARTBEAT = "heartbeat.json";

    private static final DetachedStart.Wording WORDING = new DetachedStart.Wording("the scheduler", "The scheduler", "come up",
            code -> "code " + code, t -> t.toMillis() < 10_000 ? t.toMillis() + " ms" : t.toSeconds() + " s");

    private final DaemonFiles files;
    private final DaemonFolder folder;
    private final Clock clock;

    /**
     * The daemon of the project whose scheduler folder is {@code dir} ({@code .flywheel/scheduler}); {@code clock}
     * judges the age of its heartbeat.
     */
    public SchedulerDaemon(Path dir, Clock clock) {
        this.files = new DaemonFiles(dir);
        this.folder = files.folder();
        this.clock = clock;
    }

    public Path dir() {
        return folder.dir();
    }

    public Path logFile() {
        return files.logFile();
    }

    /** Where the webhook endpoint writes its port once it listens. */
    public Path portFile() {
        return files.portFile();
    }

    private PidFile pidFile() {
        return files.pid();
    }

    /** Whether the daemon runs now, whether its loop is live (heartbeat), its pid, webhook port and log. Reads files only. */
    public SchedulerStatus status() {
        return SchedulerStatus.read(files, clock.instant());
    }

    /**
     * Starts the daemon detached from this process and waits until its scheduler runs (webhook endpoint listening
     * included): the daemon says so in {@code scheduler.ready} once it has started, after it claimed the pid file, and
     * its loop has written a first heartbeat.
     *
     * @param command the command that runs this project's scheduler in the foreground as the daemon
     *                ({@code flywheel --home H scheduler run --daemon ...})
     * @throws FlywheelException CONFLICT when it runs already; UNAVAILABLE with the end of its log when it exits at
     *                           start or is not up within {@code timeout} (then it is stopped)
     */
    public SchedulerStatus start(List<String> command, Duration timeout) {
        SchedulerStatus now = status();
        if (now.running()) {
            throw new FlywheelException(ErrorCode.CONFLICT, "The scheduler already runs (pid " + now.pid().orElseThrow()
                    + "); see: flywheel scheduler status");
        }
        DaemonFolder.create(folder.dir());
        folder.delete(PORT);
        folder.delete(READY);
        SchedulerStatus started = new DetachedStart(WORDING, logFile()).start(command, timeout, launched -> {
            Optional<ProcessHandle> ready = folder.pidFile(READY).running().filter(r -> launched.test(r.pid()));
            boolean beating = ready.isPresent() && files.heartbeat().filter(b -> b.pid() == ready.get().pid()).isPresent();
            return beating ? Optional.of(status()).filter(SchedulerStatus::running) : Optional.empty();
        });
        log.info("scheduler started: pid={} webhookPort={}", started.pid().orElse(null), started.webhookPort().orElse(null));
        return started;
    }

    /**
     * Stops the daemon: SIGTERM, up to {@code grace} to finish its pass, then SIGKILL. Runs it launched keep running.
     *
     * @return the pid of the daemon it stopped, or empty when none ran
     */
    public Optional<Long> stop(Duration grace) {
        Optional<ProcessHandle> running = pidFile().running();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle daemon = running.get();
        Termination.Result result = Termination.stop(daemon, grace);
        if (result == Termination.Result.STILL_RUNNING) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The scheduler (pid " + daemon.pid()
                    + ") did not end even when killed; check it with: ps -p " + daemon.pid());
        }
        // A daemon killed before its shutdown ran leaves its files: they name a process that is gone, so they are stale.
        pidFile().release();
        folder.delete(PORT);
        folder.delete(READY);
        folder.delete(HEARTBEAT);
        log.info("scheduler stopped: pid={} how={}", daemon.pid(), result);
        return Optional.of(daemon.pid());
    }

    /**
     * Runs a scheduler in this process until the JVM shuts down (SIGTERM from {@link #stop}, Ctrl-C). As the daemon
     * ({@code asDaemon}) it holds the pid file (CONFLICT when another scheduler of the project holds it) and stops
     * itself when its folder is removed. {@code cleanup} runs after the scheduler closed (close the stores there).
     */
    public void run(Supplier<Scheduler> scheduler, boolean asDaemon, Runnable cleanup) throws InterruptedException {
        Scheduler started = null;
        try {
            if (asDaemon) {
                DaemonFolder.create(folder.dir());
                pidFile().claim(pid -> "A scheduler already runs for this project (pid " + pid + "); stop it with: flywheel scheduler stop");
            }
            started = scheduler.get().start();
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (asDaemon) {
                pidFile().release();
            }
            cleanup.run();
            throw e;
        }
        if (asDaemon) {
            folder.pidFile(READY).write(ProcessHandle.current());
            FolderGuard.watch(folder, GUARD_INTERVAL, FOLDER_GONE_EXIT);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Scheduler running = started;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            if (asDaemon && folder.exists()) {
                folder.delete(READY);
                pidFile().release();
                folder.delete(PORT);
                folder.delete(HEARTBEAT);
            }
            cleanup.run();
            stopped.countDown();
        }, "flywheel-scheduler-shutdown"));
        stopped.await();
    }
}
