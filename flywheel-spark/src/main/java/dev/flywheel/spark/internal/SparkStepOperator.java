package dev.flywheel.spark.internal;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.spark.SparkHome;
import dev.flywheel.spark.SparkSettings;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Runs a step as a Spark application: {@code spark-submit} through SparkLauncher (a child process), the driver's main
 * class {@link SparkStepDriver}, the application watched through its handle until it ends, is killed on timeout or
 * when the run is cancelled. What the step computed travels through the job's result file; what Spark says about the
 * application (its id, state, the driver's log) comes back in the outcome.
 */
public final class SparkStepOperator implements StepOperator {
    private static final Logger LOG = LoggerFactory.getLogger(SparkStepOperator.class);
    private static final int LOG_TAIL = 16 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long a driver the master was asked to kill may take to end (its shutdown hooks run first). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final SparkSettings settings;
    private final Path stateFolder;

    public SparkStepOperator(String name, SparkSettings settings, Path stateFolder) {
        this.name = name;
        this.settings = settings;
        this.stateFolder = stateFolder;
    }

    @Override
    public Outcome run(Launch launch) {
        requireReachableMaster();
        SparkHome home = settings.sparkHome() != null ? SparkHome.installed(settings.sparkHome())
                : SparkHome.assemble(stateFolder, launch.classpath());
        Path folder = launch.jobFile().getParent();
        Path driverLog = folder.resolve("driver.log");
        SparkLauncher launcher = launcher(launch, home, folder, driverLog);
        Final ended = new Final();
        SparkAppHandle handle;
        try {
            handle = launcher.startApplication(ended);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "step operator '" + name + "' could not start spark-submit from "
                    + home.dir() + ": " + e.getMessage(), e);
        }
        LOG.info("Spark application submitted step={} run={} master={}", launch.step(), launch.runId(), settings.master());
        String timedOut = null;
        try {
            if (!ended.await(launch.timeout())) {
                timedOut = "timed out after " + launch.timeout() + " (the step's timeout); the Spark application "
                        + (handle.getAppId() == null ? "" : handle.getAppId() + " ") + "was killed";
                killDriverOnCluster(driverLog);
                stop(handle, ended, launch.jobFile());
            }
        } catch (InterruptedException e) {
            killDriverOnCluster(driverLog);
            stop(handle, ended, launch.jobFile());
            Thread.currentThread().interrupt();
            timedOut = "the run was cancelled; the Spark application was killed";
        }
        String appId = handle.getAppId();
        SparkAppHandle.State state = handle.getState();
        String log = tail(driverLog);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("spark.master", settings.master());
        details.put("spark.deploy_mode", settings.deployMode().name().toLowerCase(Locale.ROOT));
        details.put("spark.state", state.name());
        if (appId != null) {
            details.put("spark.app_id", appId);
        }
        if (onStandaloneCluster()) {
            return clusterOutcome(log, timedOut, details, launch.jobFile());
        }
        URI ui = settings.masterUiOrDefault();
        String url = ui == null || appId == null ? null : ui.resolve("/app/?appId=" + appId).toString();
        if (url != null) {
            details.put("spark.master_ui", url);
        }
        if (timedOut != null) {
            discardResult(launch.jobFile());
            return new Outcome(false, appId, url, timedOut, details, log);
        }
        boolean ok = state == SparkAppHandle.State.FINISHED;
        return new Outcome(ok, appId, url, ok ? null : "application " + (appId == null ? "(no id)" : appId) + " ended " + state
                + reason(log), details, log);
    }

    private SparkLauncher launcher(Launch launch, SparkHome home, Path folder, Path driverLog) {
        Map<String, String> env = new HashMap<>(home.environment());
        env.putAll(launch.environment());
        if (settings.localIp() != null) {
            env.put("SPARK_LOCAL_IP", settings.localIp());
        }
        SparkLauncher l = new SparkLauncher(env)
                .setSparkHome(home.dir().toString())
                .setMaster(settings.master())
                .setDeployMode(settings.deployMode().name().toLowerCase(Locale.ROOT))
                .setAppName("flywheel " + launch.pipeline() + "." + launch.step() + " run " + launch.runId() + " attempt " + launch.attempt())
                .setMainClass(SparkStepDriver.class.getName())
                .setAppResource(appResource(launch, folder).toString())
                .addAppArgs(launch.jobFile().toString())
                .setConf(SparkLauncher.DRIVER_MEMORY, settings.driverMemory())
                .setConf(SparkLauncher.EXECUTOR_MEMORY, settings.executorMemory())
                .setConf(SparkLauncher.EXECUTOR_CORES, String.valueOf(settings.executorCores()))
                .redirectError()
                .redirectOutput(driverLog.toFile());
        if (onStandaloneCluster()) {
            // the submission client then stays until the driver ends (so the step's timeout and cancel reach it) and,
            // verbose, logs the driver's id, by which the master is asked how the driver ended
            l.setConf("spark.standalone.submit.waitAppCompletion", "true");
            l.setVerbose(true);
        }
        if (settings.javaHome() != null) {
            l.setJavaHome(settings.javaHome().toString());
        }
        if (settings.executorInstances() != null) {
            l.setConf("spark.executor.instances", String.valueOf(settings.executorInstances()));
            l.setConf("spark.cores.max", String.valueOf(settings.executorInstances() * settings.executorCores()));
        }
        if (settings.localIp() != null) {
            l.setConf("spark.driver.host", settings.localIp());
            l.setConf("spark.driver.bindAddress", settings.localIp());
        }
        if (settings.sparkHome() != null) {
            // a real installation has its own Spark: the driver gets Flywheel's other jars
            Set<String> installed = home.jarNames();
            List<String> extra = launch.classpath().stream().filter(e -> e.endsWith(".jar"))
                    .filter(e -> !installed.contains(Path.of(e).getFileName().toString())).toList();
            l.setConf(SparkLauncher.DRIVER_EXTRA_CLASSPATH, String.join(":", extra));
        }
        for (String jar : settings.jars()) {
            l.addJar(jar);
        }
        for (String c : settings.conf()) {
            int eq = c.indexOf('=');
            l.setConf(c.substring(0, eq), c.substring(eq + 1));
        }
        return l;
    }

    /**
     * The application's jar: the class folders of the step's classpath (a pipeline being developed) packed into
     * one, shipped to the driver and the executors; without any, the jar holding the driver's main class.
     */
    private static Path appResource(Launch launch, Path folder) {
        List<Path> folders = launch.classpath().stream().map(Path::of).filter(Files::isDirectory).toList();
        if (folders.isEmpty()) {
            try {
                return Path.of(SparkStepDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path jar = folder.resolve("app.jar");
        Set<String> seen = new java.util.HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path dir : folders) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String entry = dir.relativize(f).toString().replace('\\', '/');
                        if (seen.add(entry)) { // the first folder on the class path wins, as it would when loading
                            out.putNextEntry(new JarEntry(entry));
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot pack the step's classes into " + jar + ": " + e.getMessage(), e);
        }
        return jar;
    }

    private boolean onStandaloneCluster() {
        return settings.deployMode() == SparkSettings.DeployMode.CLUSTER && settings.master().startsWith("spark://");
    }

    /**
     * How a driver in cluster deploy mode ended, from the master (the submission client exits 0 either way): the step
     * succeeded when the master lists the driver FINISHED; the driver's log comes from its worker.
     */
    private Outcome clusterOutcome(String submitLog, String timedOut, Map<String, Object> details, Path jobFile) {
        URI ui = settings.masterUiOrDefault();
        Optional<String> driverId = StandaloneDriver.idIn(submitLog);
        if (driverId.isEmpty()) {
            String reason = timedOut != null ? timedOut : "spark-submit did not place a driver on the cluster" + reason(submitLog);
            return new Outcome(false, null, ui == null ? null : ui.toString(), reason, details, submitLog);
        }
        String id = driverId.get();
        details.put("spark.driver_id", id);
        // a killed driver writes what its cancelled job left while it dies: wait for its end before dropping that
        StandaloneDriver.Status status = awaitEnded(new StandaloneDriver(ui), id, timedOut == null ? STOP_GRACE : KILL_WAIT);
        if (status.state() != null) {
            details.put("spark.driver_state", status.state());
        }
        if (status.workerId() != null) {
            details.put("spark.driver_worker", status.workerId());
        }
        String url = ui.resolve("/").toString();
        String log = status.log() == null ? submitLog : status.log();
        if (timedOut != null) {
            discardResult(jobFile);
            return new Outcome(false, id, url, timedOut, details, log);
        }
        boolean ok = status.finished();
        return new Outcome(ok, id, url, ok ? null : "driver " + id + " ended " + (status.state() == null ? "in a state the master at " + ui
                + " did not report" : status.state()) + (status.workerId() == null ? "" : " on " + status.workerId()) + reason(status.log()),
                details, log);
    }

    /**
     * A step stopped for its timeout may still write a result while it dies (its Spark job cancelled by the shutdown):
     * the timeout is what happened, so that result is dropped. Called once the driver has ended (or was waited for).
     */
    private static void discardResult(Path jobFile) {
        try {
            Files.deleteIfExists(StepJob.read(jobFile).resultFile());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not drop the result a timed-out step left in {}: {}", jobFile.getParent(), e.toString());
        }
    }

    /** The driver's status once the master lists it as ended (it may report the end a moment after the client left). */
    private static StandaloneDriver.Status awaitEnded(StandaloneDriver driver, String id, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        StandaloneDriver.Status status = driver.status(id, LOG_TAIL);
        while (!status.ended() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = driver.status(id, LOG_TAIL);
        }
        return status;
    }

    /** In cluster deploy mode killing spark-submit leaves the driver running on its worker: the master kills it. */
    private void killDriverOnCluster(Path submitLog) {
        if (!onStandaloneCluster()) {
            return;
        }
        StandaloneDriver.idIn(tail(submitLog)).ifPresent(id -> {
            if (!new StandaloneDriver(settings.masterUiOrDefault()).kill(id)) {
                LOG.warn("the master at {} did not accept killing driver {}; kill it from the master's web UI", settings.masterUiOrDefault(), id);
            }
        });
    }

    /** Fails fast, naming the master, when no standalone master accepts a connection (instead of Spark's minute of retries). */
    private void requireReachableMaster() {
        if (!settings.master().startsWith("spark://")) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String hostPort : settings.master().substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                        (int) settings.connectTimeout().toMillis());
                return;
            } catch (IOException e) {
                problems.add(hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new FlywheelException(ErrorCode.UNAVAILABLE, "Spark master " + settings.master() + " of step operator '" + name
                + "' is not reachable (" + String.join("; ", problems) + ", waited up to " + settings.connectTimeout()
                + "); start the cluster, or point the operator at a running master: flywheel step-operator register " + name
                + " --flavor spark -s master=spark://HOST:PORT");
    }

    private static void stop(SparkAppHandle handle, Final ended, Path jobFile) {
        try {
            handle.stop();
        } catch (RuntimeException notConnected) {
            // the application never connected back: only the process can be killed
        }
        try {
            ended.await(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a stopped application may report its end while its driver JVM lingers (a step thread still training): the
        // process goes too. The handle's kill() does nothing once the application reported a final state, so the driver
        // is found by its job file (an argument only this step's driver has) and killed, and its exit awaited.
        handle.kill();
        String marker = jobFile.toString();
        ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .forEach(p -> {
                    p.destroyForcibly();
                    try {
                        p.onExit().get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        LOG.warn("Spark driver pid={} did not exit after SIGKILL: {}", p.pid(), e.toString());
                    }
                });
    }

    /** The driver's last error lines, the reason Spark gives. */
    private static String reason(String log) {
        if (log == null) {
            return "";
        }
        List<String> lines = log.lines().filter(l -> l.contains("Exception") || l.contains(" ERROR ") || l.startsWith("Caused by"))
                .toList();
        if (lines.isEmpty()) {
            List<String> all = log.lines().filter(l -> !l.isBlank()).toList();
            return all.isEmpty() ? " (the driver wrote nothing)" : ": " + String.join("\n", all.subList(Math.max(0, all.size() - 5), all.size()));
        }
        return ": " + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            byte[] all = Files.readAllBytes(file);
            int from = Math.max(0, all.length - LOG_TAIL);
            return (from > 0 ? "...\n" : "") + new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Counts down when the application reaches a final state. */
    private static final class Final implements SparkAppHandle.Listener {
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void stateChanged(SparkAppHandle handle) {
            if (handle.getState().isFinal()) {
                done.countDown();
            }
        }

        @Override
        public void infoChanged(SparkAppHandle handle) {
        }

        boolean await(Duration timeout) throws InterruptedException {
            if (timeout == null) {
                done.await();
                return true;
            }
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

}
