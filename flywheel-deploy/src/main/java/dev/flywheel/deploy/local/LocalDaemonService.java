package dev.flywheel.deploy.local;

import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.SwapCodec;
import dev.flywheel.serving.api.ServerFlags;
import dev.flywheel.serving.api.ServingProtocol;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.daemon.ExclusiveLock;
import dev.flywheel.daemon.Launch;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceAction;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A prediction server run as a detached daemon on this machine: a {@link Supervisor} process (started with
 * {@code setsid}, so it outlives the CLI or pipeline that started it) runs the server as its child. Its state lives in
 * {@code .flywheel/services/<uuid>/}; any process can attach to it from the database row and that folder.
 *
 * <p>Status is observed, never assumed: the supervisor's pid must be alive and its command line must name this
 * service's uuid, and the server's health endpoint must answer.
 */
public final class LocalDaemonService implements Service {
    private static final Logger log = LoggerFactory.getLogger(LocalDaemonService.class);
    private static final String SUPERVISOR_MAIN = Supervisor.class.getName();
    /** The daemons' logs are the record of what happened to a service: keep INFO whatever the CLI's own log level. */
    private static final String LOG_LEVEL = "-Dorg.slf4j.simpleLogger.defaultLogLevel=info";
    /** A readiness probe of our own, when no fresh heartbeat says: short, so listing many services stays fast. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** A probe that decides an action (adopt an orphan server, swap rather than start): patient, as a loaded machine needs. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final ServiceStore store;
    private final ServiceFolder folder;
    private final LocalDeployerSettings settings;
    private final AdminTokens tokens;
    private final Supplier<HttpClient> http;
    private final Clock clock;
    private volatile ServiceRecord record;

    LocalDaemonService(ServiceRecord record, ServiceStore store, ServiceFolder folder, LocalDeployerSettings settings, AdminTokens tokens,
                       Supplier<HttpClient> http, Clock clock) {
        this.tokens = tokens;
        this.record = record;
        this.store = store;
        this.folder = folder;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public ServiceRecord record() {
        return record;
    }

    /** The folder with this service's config, pids, state and logs. */
    public java.nio.file.Path folder() {
        return folder.dir();
    }

    @Override
    public Optional<java.nio.file.Path> logFile() {
        return Optional.of(folder.serverLog());
    }

    public java.nio.file.Path supervisorLog() {
        return folder.supervisorLog();
    }

    /** Reconciles ({@link #reconcile()}) and returns the status it observed. */
    @Override
    public synchronized ServiceStatus status() {
        reconcile();
        return record.status();
    }

    /**
     * What runs now, from the service's folder (pids, the supervisor's state and heartbeat), the process table and,
     * when no fresh heartbeat says, a probe of the server's health endpoint. Changes nothing: no file, row or process.
     */
    public Observation observe() {
        SupervisorState state = SupervisorState.read(folder);
        Optional<ProcessHandle> supervisor = supervisor();
        Optional<ProcessHandle> server = server();
        String lastError = state != null && state.lastError() != null ? state.lastError() : record.lastError();
        int port = state != null && state.port() > 0 ? state.port() : record.port();
        // The supervisor was killed but its server serves on: reconcile adopts it rather than call the service failed.
        boolean orphanServing = supervisor.isEmpty() && record.desiredState() == DesiredState.RUNNING && port > 0 && server.isPresent()
                && healthy(port);
        ServiceStatus status;
        if (state != null && state.is(SupervisorPhase.FAILED) && !orphanServing) {
            status = new ServiceStatus.Failed(state.lastError());
        } else if (supervisor.isEmpty() && !orphanServing) {
            if (record.desiredState() == DesiredState.STOPPED) {
                status = ServiceStatus.INACTIVE;
            } else {
                long pid = ServiceFolder.readLong(folder.supervisorPid());
                status = new ServiceStatus.Failed((pid == 0 ? "the service was never started (its deploy was cut off)"
                        : "the supervisor (pid " + pid + ") is not running: it was killed or the machine restarted")
                        + "; start it with: flywheel served-models start " + record.uuid()
                        + (lastError == null ? "" : "; last error: " + lastError));
            }
        } else if (record.desiredState() == DesiredState.STOPPED || state != null && state.is(SupervisorPhase.STOPPING)) {
            status = ServiceStatus.PENDING_SHUTDOWN;
        } else if (orphanServing || port > 0 && ready(state, port)) {
            status = ServiceStatus.ACTIVE;
        } else {
            status = ServiceStatus.PENDING_STARTUP;
        }
        int restarts = state != null ? Math.max(state.restartCount(), record.restartCount()) : record.restartCount();
        return new Observation(status, supervisor.map(ProcessHandle::pid).orElse(0L), server.map(ProcessHandle::pid).orElse(0L), port,
                restarts, lastError, orphanServing, Files.exists(folder.pending()));
    }

    /**
     * Brings the service's record and processes in line with what runs and what is desired, and says what it did: a
     * swap a killed deployer left half-done is settled from the server's answer, a server whose supervisor is gone
     * is adopted by a new supervisor, an admin token file an older Flywheel left is moved into the secrets store, and
     * the record is updated when the observation differs from it. Running it
     * again at once does nothing more (an empty list) unless something changed meanwhile.
     */
    public synchronized List<ServiceAction> reconcile() {
        List<ServiceAction> actions = new ArrayList<>();
        reconcilePendingSwap().ifPresent(actions::add);
        Observation seen = observe();
        if (seen.orphanServing()) {
            Optional<ProcessHandle> adopter = adoptOrphanServer(seen.port());
            if (adopter.isPresent() && adopter.get().pid() != seen.supervisorPid()) {
                actions.add(new ServiceAction.ServerAdopted(seen.serverPid(), adopter.get().pid()));
            }
            seen = seen.withSupervisor(adopter.map(ProcessHandle::pid).orElse(0L));
        }
        // A running supervisor beside such a file is an older Flywheel's: it restarts its server from the file, so the
        // file stays until that supervisor is gone.
        if (tokens.migrate(folder, seen.supervisorPid() != 0)) {
            actions.add(new ServiceAction.AdminTokenMoved(seen.supervisorPid() == 0));
        }
        String url = seen.port() > 0 ? predictionUrl(seen.port()) : record.predictionUrl();
        ServiceRecord observed = record.observed(seen.status(), seen.lastError(), url, seen.supervisorPid(), seen.serverPid(), seen.port(),
                seen.restarts(), clock.instant());
        if (!sameObservation(observed, record)) {
            store.update(observed);
            actions.add(new ServiceAction.Recorded(seen.status()));
        }
        record = observed;
        return actions;
    }

    /** Whether the server answers its health endpoint now, whoever supervises it. */
    public boolean answers() {
        int port = record.port();
        return port > 0 && healthy(port);
    }

    /**
     * Starts a supervisor that adopts the running server (it watches it, and restarts it when it exits). One process
     * adopts: the others wait on {@code adopt.lock} and then find the new supervisor.
     */
    private Optional<ProcessHandle> adoptOrphanServer(int port) {
        try (ExclusiveLock ignored = ExclusiveLock.acquire(folder.dir().resolve("adopt.lock"))) {
            Optional<ProcessHandle> existing = supervisor();
            if (existing.isPresent()) {
                return existing;
            }
            Optional<ProcessHandle> server = server();
            if (server.isEmpty()) {
                return Optional.empty();
            }
            Process launched = launchSupervisor(server.get().pid());
            ServiceFolder.writeAtomically(folder.supervisorPid(), launched.pid() + "\n");
            log.warn("service={} supervisor was gone; a new supervisor pid={} adopted the running server pid={} port={}", record.uuid(),
                    launched.pid(), server.get().pid(), port);
            return Optional.of(launched.toHandle());
        }
    }

    private static boolean sameObservation(ServiceRecord a, ServiceRecord b) {
        return a.status().equals(b.status()) && Objects.equals(a.lastError(), b.lastError()) && Objects.equals(a.predictionUrl(), b.predictionUrl())
                && a.pid() == b.pid() && a.serverPid() == b.serverPid() && a.port() == b.port() && a.restartCount() == b.restartCount()
                && a.config().equals(b.config());
    }

    @Override
    public synchronized void start(Duration timeout) {
        ServiceStatus now = status();
        if (now instanceof ServiceStatus.Active) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (now instanceof ServiceStatus.PendingStartup && record.desiredState() == DesiredState.RUNNING) {
            // Already starting (for example launched by a process that was killed before it saw the service healthy).
            awaitActive(deadline, timeout, null);
            return;
        }
        killLeftovers();
        int port = record.config().port();
        if (port != 0) {
            requirePortFree(port);
        } else if (record.port() > 0 && portFree(record.port())) {
            // Keep the URL clients know across a stop and start, when nothing else took the port meanwhile.
            port = record.port();
        }
        // The restart count survives a start; the supervisor continues counting from here.
        new SupervisorState(SupervisorPhase.STARTING, 0, port, record.restartCount(), record.lastError()).write(folder);
        try {
            Files.deleteIfExists(folder.ready());
            Files.deleteIfExists(folder.supervisorPid());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot reset the state of service " + record.uuid() + " in " + folder.dir() + ": " + e.getMessage());
        }
        record = record.withDesired(DesiredState.RUNNING, clock.instant())
                .observed(ServiceStatus.PENDING_STARTUP, record.lastError(), record.predictionUrl(), 0, port, record.restartCount(), clock.instant());
        store.update(record);
        Process launched = launchSupervisor(0);
        // setsid execs in place, so this is the supervisor's pid; it writes the same file itself once it runs.
        ServiceFolder.writeAtomically(folder.supervisorPid(), launched.pid() + "\n");
        log.info("service={} starting model={} version={} supervisor pid={}", record.uuid(), record.modelName(), record.modelVersion(), launched.pid());
        awaitActive(deadline, timeout, launched);
    }

    /**
     * Waits until the service answers. {@code launched} is the supervisor this call started, or null: until its
     * exec has finished, its command line is not yet its own (it still reads as the JVM's spawn helper), so the
     * ownership check cannot recognise it; a process we hold the handle of is ours while it lives, unless the
     * supervisor itself reported a failure.
     */
    private void awaitActive(long deadline, Duration timeout, Process launched) {
        while (true) {
            ServiceStatus s = status();
            if (s instanceof ServiceStatus.Failed && launched != null && launched.isAlive() && !supervisorReportedFailure()) {
                s = ServiceStatus.PENDING_STARTUP;
            }
            switch (s) {
                case ServiceStatus.Active a -> {
                    return;
                }
                case ServiceStatus.Failed f -> throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Service " + record.uuid() + " (model "
                        + record.modelName() + " version " + record.modelVersion() + ") could not start: " + f.lastError()
                        + "; its logs: flywheel served-models logs " + record.uuid());
                case ServiceStatus.PendingStartup p -> {
                }
                case ServiceStatus.Inactive i -> {
                }
                case ServiceStatus.PendingShutdown p -> {
                }
            }
            if (System.nanoTime() > deadline) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + record.uuid() + " did not become healthy within "
                        + timeout.toMillis() + " ms (status " + s.text() + "); it keeps starting in the background: check it with "
                        + "flywheel served-models describe " + record.uuid() + " and its logs with flywheel served-models logs " + record.uuid());
            }
            pause(25);
        }
    }

    private boolean supervisorReportedFailure() {
        SupervisorState state = SupervisorState.read(folder);
        return state != null && state.is(SupervisorPhase.FAILED);
    }

    @Override
    public synchronized void stop(Duration timeout, boolean force) {
        record = record.withDesired(DesiredState.STOPPED, clock.instant());
        store.update(record);
        Optional<ProcessHandle> supervisor = supervisor();
        Optional<ProcessHandle> server = server();
        supervisor.ifPresent(p -> OwnedProcess.stop(p, timeout, force));
        // The supervisor stops its server; a server left behind by a supervisor that was killed is stopped here.
        server.filter(ProcessHandle::isAlive).ifPresent(p -> OwnedProcess.stop(p, timeout, force));
        SupervisorState state = SupervisorState.read(folder);
        if (state != null && !state.is(SupervisorPhase.STOPPED)) {
            state.with(SupervisorPhase.STOPPED, 0, state.port(), state.restartCount(), state.lastError()).write(folder);
        }
        status();
        log.info("service={} stopped", record.uuid());
    }

    /**
     * Switches the running server to {@code next} without dropping a request: the server loads and warms the new
     * version beside the old one and switches atomically. {@code pending.json} marks the swap in flight, so a process
     * that is killed half-way leaves a state the next one can settle ({@link #reconcilePendingSwap()}).
     *
     * @throws FlywheelException {@code DEPLOY_FAILED} when the server rejects the new version; the old one keeps serving
     */
    synchronized void swap(DeploymentConfig next, Duration timeout) {
        ServiceFolder.writeAtomically(folder.pending(), ServiceJson.config(next));
        HttpResponse<String> response;
        try {
            ModelVersionSpec spec = new ModelVersionSpec(next.modelName(), next.modelVersion(), next.format(), next.modelFile(),
                    next.signature(), next.modelSha256());
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl(record.port()) + ServingProtocol.SWAP_PATH))
                    .timeout(timeout)
                    .header(ServingProtocol.AUTHORIZATION_HEADER, ServingProtocol.bearer(tokens.token(folder)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(SwapCodec.write(spec))).build();
            response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            settlePending(false);
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot reach service " + record.uuid() + " to swap in model "
                    + next.modelName() + " version " + next.modelVersion() + ": " + e.getMessage()
                    + "; version " + record.modelVersion() + " keeps serving if the server is up (flywheel served-models describe " + record.uuid() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Interrupted while swapping service " + record.uuid());
        }
        if (response.statusCode() != 200) {
            settlePending(false);
            String reason = errorText(response.body());
            String message = "model " + next.modelName() + " version " + next.modelVersion() + " was rejected by the server (HTTP "
                    + response.statusCode() + "): " + reason;
            record = record.observed(record.status(), message, record.predictionUrl(), record.pid(), record.port(), record.restartCount(), clock.instant());
            store.update(record);
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Deploy of " + message + "; version " + record.modelVersion()
                    + " keeps serving on " + record.predictionUrl());
        }
        settlePending(true);
        log.info("service={} swapped model={} to version={}", record.uuid(), next.modelName(), next.modelVersion());
    }

    /** Makes the pending swap the served config (when the server took it) or drops it. */
    private void settlePending(boolean applied) {
        Optional<String> pending = ServiceFolder.read(folder.pending());
        if (pending.isEmpty()) {
            return;
        }
        if (applied) {
            DeploymentConfig next = ServiceJson.config(pending.get());
            ServiceFolder.writeAtomically(folder.config(), pending.get());
            record = record.withConfig(next, clock.instant());
            store.update(record);
        }
        try {
            Files.deleteIfExists(folder.pending());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot remove " + folder.pending() + ": " + e.getMessage());
        }
    }

    /**
     * A swap cut off half-way (the deploying process was killed) left {@code pending.json}: the server's answer says
     * which version it serves, and the record and config follow it.
     */
    private Optional<ServiceAction> reconcilePendingSwap() {
        Optional<String> pending = ServiceFolder.read(folder.pending());
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        DeploymentConfig next = ServiceJson.config(pending.get());
        OptionalVersion served = servedVersion(record.port());
        if (served.unreachable()) {
            if (supervisor().isEmpty()) {
                // Nothing serves: the supervisor starts config.json next time, which is the version the record shows.
                settlePending(false);
                return Optional.of(new ServiceAction.SwapSettled(next.modelVersion(), false));
            }
            return Optional.empty();
        }
        boolean applied = served.version() == next.modelVersion();
        settlePending(applied);
        return Optional.of(new ServiceAction.SwapSettled(next.modelVersion(), applied));
    }

    private record OptionalVersion(boolean unreachable, int version) {
    }

    private OptionalVersion servedVersion(int port) {
        if (port <= 0) {
            return new OptionalVersion(true, 0);
        }
        try {
            HttpResponse<Void> r = http.get().send(HttpRequest.newBuilder(URI.create(baseUrl(port) + ServingProtocol.modelPath(record.modelName())))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER).filter(v -> v.matches("\\d+"))
                    .map(v -> new OptionalVersion(false, Integer.parseInt(v))).orElse(new OptionalVersion(true, 0));
        } catch (IOException e) {
            return new OptionalVersion(true, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OptionalVersion(true, 0);
        }
    }

    /**
     * Whether the server answers: the supervisor's heartbeat when it is fresh and names the server the state file
     * names, else a probe of our own with a short timeout.
     */
    private boolean ready(SupervisorState state, int port) {
        long serverPid = state != null && state.is(SupervisorPhase.RUNNING) ? state.serverPid() : 0;
        Optional<Heartbeat> beat = Heartbeat.read(folder);
        if (beat.isPresent() && beat.get().vouchesFor(serverPid, clock.instant())) {
            return beat.get().ready();
        }
        return HealthProbe.ready(port, PROBE_TIMEOUT);
    }

    private static boolean healthy(int port) {
        return HealthProbe.ready(port, ANSWER_TIMEOUT);
    }

    private Optional<ProcessHandle> supervisor() {
        return OwnedProcess.find(ServiceFolder.readLong(folder.supervisorPid()), record.uuid().toString());
    }

    private Optional<ProcessHandle> server() {
        return OwnedProcess.find(ServiceFolder.readLong(folder.serverPid()), record.uuid().toString());
    }

    /** The options the server wrote beside its ready file when it started (ServerMain), while that file is there. */
    @Override
    public java.util.Optional<dev.flywheel.deploy.service.ServingOptions> servingOptions() {
        java.nio.file.Path file = folder.ready().resolveSibling("ready.serving");
        if (!Files.exists(folder.ready())) {
            return java.util.Optional.empty();
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
            return java.util.Optional.of(new dev.flywheel.deploy.service.ServingOptions(
                    Integer.parseInt(p.getProperty("grpc.port", "-1").strip()),
                    Integer.parseInt(p.getProperty("batch.max.size", "0").strip()),
                    Long.parseLong(p.getProperty("batch.max.wait.us", "0").strip())));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** A supervisor killed with -9 leaves its server running: stop both before starting afresh. */
    private void killLeftovers() {
        supervisor().ifPresent(p -> OwnedProcess.stop(p, Duration.ofSeconds(10), false));
        server().ifPresent(p -> OwnedProcess.stop(p, Duration.ofSeconds(10), false));
    }

    /** Launches the supervisor; with {@code adoptServerPid > 0} it adopts that running server instead of starting one. */
    private Process launchSupervisor(long adoptServerPid) {
        List<String> jvm = new ArrayList<>(classDataSharing("supervisor"));
        jvm.addAll(List.of("-Xms8m", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", LOG_LEVEL, "-Dorg.slf4j.simpleLogger.showDateTime=true"));
        List<String> args = new ArrayList<>(List.of("--service-dir", folder.dir().toString(), "--service-id", record.uuid().toString(),
                "--max-restarts", Integer.toString(settings.maxRestarts()),
                "--restart-window-ms", Long.toString(settings.restartWindow().toMillis()),
                "--initial-backoff-ms", Long.toString(settings.initialBackoff().toMillis()), "--host", settings.host()));
        if (adoptServerPid > 0) {
            args.addAll(List.of("--adopt-server-pid", Long.toString(adoptServerPid)));
        }
        List<String> serverOptions = new ArrayList<>(classDataSharing("server"));
        serverOptions.add(LOG_LEVEL);
        serverOptions.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        serverOptions.addAll(settings.serverJvmOptions());
        for (String option : serverOptions) {
            args.add("--server-jvm-option");
            args.add(option);
        }
        for (String arg : settings.serverArgs()) {
            args.add("--server-arg");
            args.add(arg);
        }
        try {
            // The token goes in the environment, which only the owner can read (/proc/PID/environ), unlike argv.
            String token = tokens.forSupervisor(folder, adoptServerPid > 0);
            // detached (its own session): the supervisor outlives the CLI or pipeline that deployed the service
            return Launch.java(jvm, SUPERVISOR_MAIN, args).withEnvironment(ServerFlags.ADMIN_TOKEN_ENV, token).detached()
                    .logTo(folder.supervisorLog()).start("the supervisor of service " + record.uuid());
        } catch (FlywheelException e) {
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, e.getMessage(), e);
        }
    }

    /** Whether a server could listen on the port now; connections of a stopped server lingering in TIME_WAIT do not count. */
    private static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A class-data-sharing archive per kind of process and classpath, created by the first run and reused by later
     * ones: it takes a good part off a JVM's start, which is most of the time a deploy takes.
     */
    private List<String> classDataSharing(String kind) {
        java.nio.file.Path dir = folder.dir().getParent().resolve(".cds");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return List.of();
        }
        String key = Integer.toHexString((System.getProperty("java.class.path") + Runtime.version()).hashCode());
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve(kind + "-" + key + ".jsa"), "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
    }

    static void requirePortFree(int port) {
        if (!portFree(port)) {
            throw new FlywheelException(ErrorCode.CONFLICT, "Port " + port + " on 127.0.0.1 is already in use by another process; "
                    + "deploy on another port with --port P, or leave --port out to pick a free one");
        }
    }

    static String baseUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Loopback for a server on loopback; this machine's name for one listening on every interface (for other machines). */
    private String predictionUrl(int port) {
        String base = LocalDeployerSettings.LOOPBACK.equals(settings.host()) ? baseUrl(port) : "http://" + machineName() + ":" + port;
        return base + ServingProtocol.inferPath(record.modelName());
    }

    private static String machineName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return LocalDeployerSettings.LOOPBACK;
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode n = ServiceJson.MAPPER.readTree(body);
            if (n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: show it as it is
        }
        return body == null || body.isBlank() ? "(no message)" : body.strip();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while waiting for a service");
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
