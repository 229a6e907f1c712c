package dev.flywheel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on this machine's loopback: one Master and N Workers, each a child process started
 * from a {@link SparkHome} on ephemeral ports, every process bound to 127.0.0.1. For tests, benchmarks and trying
 * the Spark step operator without a cluster. {@link #close()} stops every process it started, the executors the
 * workers started included; a JVM shutdown hook does the same if the caller never closes it.
 */
public final class LocalSparkCluster implements AutoCloseable {
    private static final Pattern MASTER_URL = Pattern.compile("(spark://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern WEB_UI = Pattern.compile("started at http://[^\\s:\"]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to start.
     *
     * @param workers         how many Worker processes
     * @param coresPerWorker  the cores each Worker offers
     * @param memoryPerWorker the memory each Worker offers its executors ({@code 512m})
     * @param daemonMemory    the heap of the Master and Worker processes themselves ({@code 256m})
     * @param workDir         where logs and the workers' folders go
     * @param javaHome        the JDK the processes run on
     * @param startTimeout    how long to wait for the cluster to be up
     */
    public record Options(int workers, int coresPerWorker, String memoryPerWorker, String daemonMemory, Path workDir, Path javaHome,
                          Duration startTimeout) {
        public Options {
            if (workers < 1 || coresPerWorker < 1) {
                throw new IllegalArgumentException("workers and coresPerWorker must be at least 1");
            }
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(javaHome, "javaHome");
        }

        /** Small: for tests on a shared machine (1 core and 512m per worker). */
        public static Options small(int workers, Path workDir) {
            return new Options(workers, 1, "512m", "256m", workDir, Path.of(System.getProperty("java.home")), Duration.ofMinutes(3));
        }
    }

    /** A Worker process: its web UI (which Spark also uses to name it in executor log links). */
    public record Worker(int index, long pid, URI webUi) {
    }

    private final SparkHome home;
    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> descendants = new ArrayList<>();
    private final List<Process> workerProcesses = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final Thread shutdownHook;
    private Process master;
    private String masterUrl;
    private URI masterUi;
    private boolean closed;

    private LocalSparkCluster(SparkHome home, Options options) {
        this.home = home;
        this.options = options;
        this.shutdownHook = new Thread(this::killAll, "spark-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the Master, then the Workers, and waits until the Master lists every Worker alive.
     *
     * @throws FlywheelException UNAVAILABLE with the end of the failing process's log when it does not come up in time
     */
    public static LocalSparkCluster start(SparkHome home, Options options) {
        LocalSparkCluster cluster = new LocalSparkCluster(home, options);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        try {
            Files.createDirectories(options.workDir());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot create " + options.workDir() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        Path masterLog = options.workDir().resolve("master.log");
        master = launch(masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        masterUrl = await(masterLog, MASTER_URL, master, deadline, "the Spark master");
        masterUi = URI.create("http://127.0.0.1:" + await(masterLog, WEB_UI, master, deadline, "the Spark master's web UI"));
        // the workers start side by side: each is a JVM start of several seconds on a busy machine
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < options.workers(); i++) {
            started.add(launchWorker(i));
        }
        for (int i = 0; i < options.workers(); i++) {
            Path log = options.workDir().resolve("worker-" + i + ".log");
            URI ui = URI.create("http://127.0.0.1:" + await(log, WEB_UI, started.get(i), deadline, "Spark worker " + i));
            workers.add(new Worker(i, started.get(i).pid(), ui));
        }
        while (aliveWorkers() < options.workers()) {
            if (System.nanoTime() > deadline) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "the Spark master lists " + aliveWorkers() + " of " + options.workers()
                        + " workers alive after " + options.startTimeout() + "; see the logs in " + options.workDir());
            }
            pause();
        }
    }

    private Process launchWorker(int index) {
        Path dir = options.workDir().resolve("worker-" + index);
        Path log = options.workDir().resolve("worker-" + index + ".log");
        Process p = launch(log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                "--cores", String.valueOf(options.coresPerWorker()), "--memory", options.memoryPerWorker(), "--work-dir", dir.toString(),
                masterUrl);
        workerProcesses.add(p);
        return p;
    }

    private Process launch(Path log, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(options.javaHome().resolve("bin/java").toString());
        command.add("-Xmx" + options.daemonMemory());
        // no REST submission server (it would take the fixed port 6066); the web UIs stay on loopback
        command.add("-Dspark.master.rest.enabled=false");
        // the daemons only coordinate: the quick JIT and the serial collector start them faster on a small machine
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-cp");
        command.add(home.jarsGlob());
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(home.environment());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_NO_DAEMONIZE", "1");
        env.put("JAVA_HOME", options.javaHome().toString());
        try {
            Process p = pb.start();
            synchronized (this) {
                processes.add(p);
            }
            return p;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot start " + mainClass + ": " + e.getMessage(), e);
        }
    }

    private static String await(Path log, Pattern pattern, Process process, long deadline, String what) {
        while (true) {
            String text = read(log);
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, what + " exited with code " + process.exitValue() + " before it was up:\n"
                        + tail(text, 3000));
            }
            if (System.nanoTime() > deadline) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, what + " did not come up in time:\n" + tail(text, 3000));
            }
            pause();
        }
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }

    /** {@code spark://127.0.0.1:PORT}, for the step operator's {@code master} setting. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The Master's web UI ({@code /json/} there describes workers and applications). */
    public URI masterUi() {
        return masterUi;
    }

    public List<Worker> workers() {
        return List.copyOf(workers);
    }

    /** The Master's own view ({@code GET /json/}): workers, active and completed applications. */
    public JsonNode state() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(masterUi.resolve("/json/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "the Spark master's web UI at " + masterUi + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "interrupted", e);
        }
    }

    private int aliveWorkers() {
        try {
            int n = 0;
            for (JsonNode w : state().path("workers")) {
                n += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
            }
            return n;
        } catch (FlywheelException notYet) {
            return 0;
        }
    }

    /** Kills Worker {@code index} with SIGKILL (a machine lost mid-step); its executors lose their worker and exit. */
    public void killWorker(int index) {
        Process p = workerProcesses.get(index);
        synchronized (this) {
            p.descendants().forEach(descendants::add);
        }
        p.destroyForcibly();
        waitFor(p);
    }

    /** Kills the Master with SIGKILL (a master that is down). */
    public void killMaster() {
        master.destroyForcibly();
        waitFor(master);
    }

    /** The processes started and still running (executors included), for checks that nothing is left behind. */
    public synchronized List<ProcessHandle> liveProcesses() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process p : processes) {
            if (p.isAlive()) {
                out.add(p.toHandle());
            }
            p.descendants().filter(ProcessHandle::isAlive).forEach(out::add);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(out::add);
        return out;
    }

    /** Stops the Workers (and their executors), then the Master: SIGTERM, then SIGKILL after 5 seconds. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void killAll() {
        List<ProcessHandle> all = new ArrayList<>(descendants);
        for (Process p : processes) {
            p.descendants().forEach(all::add);
        }
        List<Process> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        for (Process p : reversed) {
            p.destroy();
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process p : reversed) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
