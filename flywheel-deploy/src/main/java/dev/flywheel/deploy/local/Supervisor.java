package dev.flywheel.deploy.local;

import dev.flywheel.daemon.Launch;
import dev.flywheel.daemon.Termination;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.serving.api.ServerFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The supervisor of one local service: a small JVM, detached from whoever deployed it, that runs the prediction
 * server as its child and restarts it when it crashes (with backoff, up to a cap in a time window; then it records
 * the service as failed with the last crash as the reason and exits). SIGTERM stops the server gracefully.
 * <pre>
 * java dev.flywheel.deploy.local.Supervisor --service-dir DIR --service-id UUID [--max-restarts 5]
 *     [--restart-window-ms 600000] [--initial-backoff-ms 250] [--server-jvm-option OPT]... [--adopt-server-pid PID]
 * </pre>
 * With {@code --adopt-server-pid}, a new supervisor takes over a server whose supervisor was killed: it watches that
 * process (not its child, so its exit code is unknown) and restarts the server as its own child when it exits.
 * The server's admin token comes in the environment variable {@link ServerFlags#ADMIN_TOKEN_ENV} (the deployer reads it
 * from the secrets store) and is handed to each server the same way; without it the supervisor does not start one.
 * A server that exits before it is ready on the very first start is not restarted: a model that cannot load will not
 * load on the second try either, and the reason (from the server's log) is what the user needs.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final ServiceFolder folder;
    private final RestartPolicy policy;
    private final List<String> serverJvmOptions;
    /** More server flags (gRPC, batching), passed as given after the ones the supervisor writes. */
    private final List<String> serverArgs;
    private final long adoptServerPid;
    private final String host;
    /** Never logged, never in a file or argv: passed on in the server's environment only. */
    private final String adminToken;
    private final Object lock = new Object();
    private volatile boolean stopping;
    private ProcessHandle server;
    private SupervisorState state;

    private Supervisor(ServiceFolder folder, int maxRestarts, long windowMs, long initialBackoffMs, List<String> serverJvmOptions,
                       List<String> serverArgs, long adoptServerPid, String host, String adminToken) {
        this.adminToken = adminToken;
        this.serverArgs = List.copyOf(serverArgs);
        this.adoptServerPid = adoptServerPid;
        this.host = host;
        this.folder = folder;
        this.policy = new RestartPolicy(maxRestarts, Duration.ofMillis(windowMs), Duration.ofMillis(initialBackoffMs), Clock.systemUTC());
        this.serverJvmOptions = serverJvmOptions;
    }

    public static void main(String[] args) throws IOException {
        Path dir = null;
        UUID id = null;
        int maxRestarts = 5;
        long window = 600_000;
        long backoff = 250;
        List<String> jvm = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>();
        long adopt = 0;
        String host = LocalDeployerSettings.LOOPBACK;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--service-dir" -> dir = Path.of(v);
                case "--service-id" -> id = UUID.fromString(v);
                case "--max-restarts" -> maxRestarts = Integer.parseInt(v);
                case "--restart-window-ms" -> window = Long.parseLong(v);
                case "--initial-backoff-ms" -> backoff = Long.parseLong(v);
                case "--server-jvm-option" -> jvm.add(v);
                case "--server-arg" -> serverArgs.add(v);
                case "--adopt-server-pid" -> adopt = Long.parseLong(v);
                case "--host" -> host = v;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null || id == null) {
            throw new IllegalArgumentException("usage: Supervisor --service-dir DIR --service-id UUID [options]");
        }
        ServiceFolder folder = new ServiceFolder(dir.toAbsolutePath().normalize(), id);
        ServiceFolder.writeAtomically(folder.supervisorPid(), ProcessHandle.current().pid() + "\n");
        String token = System.getenv(ServerFlags.ADMIN_TOKEN_ENV);
        Supervisor s = new Supervisor(folder, maxRestarts, window, backoff, jvm, serverArgs, adopt, host,
                token == null || token.isBlank() ? null : token.strip());
        Runtime.getRuntime().addShutdownHook(new Thread(s::shutdown, "supervisor-shutdown"));
        System.exit(s.supervise());
    }

    private int supervise() throws IOException {
        Thread.ofPlatform().daemon().name("heartbeat").start(this::heartbeat);
        SupervisedRollouts rollouts = new SupervisedRollouts(folder, this::serverRunning, () -> adminToken);
        Thread.ofPlatform().daemon().name("rollouts").start(() -> rollouts.run(() -> stopping));
        SupervisorState previous = SupervisorState.read(folder);
        int restarts = previous == null ? 0 : previous.restartCount();
        String lastError = previous == null ? null : previous.lastError();
        // The deployer writes the port it chose (the requested one, the one a stopped service had, or 0) before launch.
        int port = previous != null && previous.port() > 0 ? previous.port() : currentConfig().port();
        boolean everReady = false;
        if (adminToken == null) {
            String reason = "the supervisor was started without the service's admin token (environment variable " + ServerFlags.ADMIN_TOKEN_ENV
                    + "); start it with: flywheel served-models start " + folder.uuid();
            write(SupervisorPhase.FAILED, 0, port, restarts, reason);
            log.error("service={} {}", folder.uuid(), reason);
            return 1;
        }
        Optional<ProcessHandle> orphan = adoptServerPid > 0 ? ProcessHandle.of(adoptServerPid).filter(ProcessHandle::isAlive) : Optional.empty();
        while (!stopping) {
            policy.started();
            int exit;
            int boundPort;
            String what = "the prediction server ";
            if (orphan.isPresent()) {
                ProcessHandle adopted = orphan.get();
                orphan = Optional.empty();
                synchronized (lock) {
                    if (stopping) {
                        break;
                    }
                    server = adopted;
                }
                everReady = true;
                boundPort = port;
                write(SupervisorPhase.RUNNING, adopted.pid(), port, restarts, lastError);
                log.info("service={} adopted the running server pid={} port={}", folder.uuid(), adopted.pid(), port);
                Termination.waitGone(adopted, Duration.ofDays(36_500));
                exit = -1;
                what = "the adopted prediction server (pid " + adopted.pid() + ") ";
            } else {
                DeploymentConfig config = currentConfig();
                Files.deleteIfExists(folder.ready());
                Process p;
                synchronized (lock) {
                    if (stopping) {
                        break;
                    }
                    p = launch(config, port);
                    server = p.toHandle();
                    state = new SupervisorState(SupervisorPhase.STARTING, p.pid(), port, restarts, lastError);
                    state.write(folder);
                }
                ServiceFolder.writeAtomically(folder.serverPid(), p.pid() + "\n");
                log.info("service={} server started pid={} model={} version={}", folder.uuid(), p.pid(), config.modelName(), config.modelVersion());
                boundPort = awaitReady(p);
                if (boundPort > 0) {
                    everReady = true;
                    port = boundPort;
                    write(SupervisorPhase.RUNNING, p.pid(), port, restarts, lastError);
                    log.info("service={} server ready port={}", folder.uuid(), port);
                }
                exit = waitFor(p);
            }
            if (stopping) {
                break;
            }
            String reason = what + (exit < 0 ? "exited (its exit code is unknown to a supervisor that did not start it)" : Termination.describeExit(exit))
                    + (boundPort > 0 ? "" : " before it was ready") + serverError();
            if (!everReady) {
                write(SupervisorPhase.FAILED, 0, port, restarts, reason);
                log.error("service={} server could not start: {}", folder.uuid(), reason);
                return 1;
            }
            long backoff;
            switch (policy.crashed()) {
                case RestartPolicy.Decision.GiveUp giveUp -> {
                    String gaveUp = reason + "; " + giveUp.why() + " (see server.log; start it again with: flywheel served-models start "
                            + folder.uuid() + ")";
                    write(SupervisorPhase.FAILED, 0, port, restarts, gaveUp);
                    log.error("service={} {}", folder.uuid(), gaveUp);
                    return 1;
                }
                case RestartPolicy.Decision.Restart restart -> backoff = restart.backoff().toMillis();
            }
            lastError = reason;
            write(SupervisorPhase.BACKOFF, 0, port, restarts, lastError);
            log.warn("service={} server crashed: {}; restarting in {} ms", folder.uuid(), reason, backoff);
            sleep(backoff);
            restarts++;
        }
        return 0;
    }

    private DeploymentConfig currentConfig() {
        return ServiceJson.config(ServiceFolder.read(folder.config()).orElseThrow(
                () -> new IllegalStateException("no config.json in " + folder.dir())));
    }

    private Process launch(DeploymentConfig config, int port) {
        ServerFlags flags = ServerFlags.of(config.modelName(), config.modelVersion(), config.format(), config.modelFile(),
                        config.modelFile().resolveSibling("signature.json"))
                // Every start, including restarts after a crash, re-checks the copy against the registry's hash.
                .withSha256(config.modelSha256())
                .withListen(host, port)
                .withFiles(null, folder.ready());
        // not detached: the server is the supervisor's child in its session; one whose supervisor died is adopted by the next
        List<String> args = new ArrayList<>(flags.toArgs());
        args.addAll(serverArgs);
        return Launch.java(serverJvmOptions, ServerFlags.MAIN_CLASS, args).withEnvironment(ServerFlags.ADMIN_TOKEN_ENV, adminToken)
                .logTo(folder.serverLog()).start("the prediction server of service " + folder.uuid());
    }

    /** The bound port once the server wrote its ready file, or 0 when it exited first. */
    private int awaitReady(Process p) {
        while (p.isAlive() && !stopping) {
            long port = ServiceFolder.readLong(folder.ready());
            if (port > 0) {
                return (int) port;
            }
            sleep(20);
        }
        long port = ServiceFolder.readLong(folder.ready());
        return p.isAlive() ? (int) port : 0;
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // only the shutdown hook stops us, and it stops the server first
            }
        }
    }

    /** The server's own explanation: the last "error:" line of its log, which ServerMain writes before exiting. */
    private String serverError() {
        try {
            List<String> lines = Files.readAllLines(folder.serverLog());
            for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - 50); i--) {
                String line = lines.get(i);
                if (line.startsWith("error: ")) {
                    return ": " + line.substring("error: ".length());
                }
            }
        } catch (IOException e) {
            log.warn("service={} cannot read server.log: {}", folder.uuid(), e.getMessage());
        }
        return "";
    }

    /**
     * Every {@link Heartbeat#INTERVAL}, while the server runs: probes its readiness and writes what it saw, so that
     * listing services reads a file instead of making a request to each server.
     */
    private void heartbeat() {
        while (!stopping) {
            ProcessHandle p;
            SupervisorState s;
            synchronized (lock) {
                p = server;
                s = state;
            }
            if (p != null && p.isAlive() && s != null && s.is(SupervisorPhase.RUNNING) && s.serverPid() == p.pid()) {
                Heartbeat.write(folder, p.pid(), HealthProbe.ready(s.port(), Heartbeat.PROBE_TIMEOUT));
            }
            sleep(Heartbeat.INTERVAL.toMillis());
        }
    }

    /** Whether the server is up and ready, as the supervisor last saw it. */
    private boolean serverRunning() {
        synchronized (lock) {
            return server != null && server.isAlive() && state != null && state.is(SupervisorPhase.RUNNING) && state.serverPid() == server.pid();
        }
    }

    private void write(SupervisorPhase phase, long pid, int port, int restarts, String error) {
        synchronized (lock) {
            state = new SupervisorState(phase, pid, port, restarts, error);
            state.write(folder);
        }
    }

    private void shutdown() {
        ProcessHandle p;
        synchronized (lock) {
            stopping = true;
            p = server;
            if (state != null && !state.is(SupervisorPhase.FAILED)) {
                state = state.with(SupervisorPhase.STOPPING, p == null ? 0 : p.pid(), state.port(), state.restartCount(), state.lastError());
                state.write(folder);
            }
        }
        if (p != null && p.isAlive()) {
            OwnedProcess.stop(p, Duration.ofSeconds(20), false);
        }
        synchronized (lock) {
            if (state != null && !state.is(SupervisorPhase.FAILED)) {
                state = state.with(SupervisorPhase.STOPPED, 0, state.port(), state.restartCount(), state.lastError());
                state.write(folder);
            }
        }
        log.info("service={} supervisor stopped", folder.uuid());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
