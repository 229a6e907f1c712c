package dev.flywheel.spark;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.Setting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of the {@code spark} step operator ({@code flywheel step-operator register NAME --flavor spark -s k=v}).
 */
public record SparkSettings(
        @Setting(required = true, description = "where applications run: spark://HOST:PORT[,HOST:PORT], local[N], k8s://https://HOST:PORT or yarn")
        String master,
        @Setting(defaultValue = "client", description = "client: the driver runs beside Flywheel; cluster: on a worker (the job folder and a local artifact store must be on a filesystem the workers share)")
        DeployMode deployMode,
        @Setting(defaultValue = "1g", description = "memory per executor (spark.executor.memory)")
        String executorMemory,
        @Setting(defaultValue = "1", description = "cores per executor (spark.executor.cores)")
        int executorCores,
        @Setting(description = "executors to use (spark.executor.instances; on standalone also caps spark.cores.max)")
        Integer executorInstances,
        @Setting(defaultValue = "1g", description = "memory of the driver (spark.driver.memory)")
        String driverMemory,
        @Setting(description = "more Spark properties, comma-separated key=value (spark.ui.enabled=false)")
        List<String> conf,
        @Setting(description = "jars to ship to the driver and executors, comma-separated (the pipeline's jar when the cluster lacks it)")
        List<String> jars,
        @Setting(description = "a Spark installation to submit with; unset: Spark from the jars on Flywheel's classpath")
        Path sparkHome,
        @Setting(description = "the JDK of the driver; unset: the one running Flywheel")
        Path javaHome,
        @Setting(description = "the master's web UI, recorded with each run; unset: http://MASTER_HOST:8080 for spark://")
        URI masterUi,
        @Setting(description = "the address Spark binds to on this machine (SPARK_LOCAL_IP), e.g. 127.0.0.1")
        String localIp,
        @Setting(defaultValue = "10s", description = "how long the master may take to accept a connection before the step fails")
        Duration connectTimeout) {

    /** Where the driver runs. */
    public enum DeployMode { CLIENT, CLUSTER }

    private static final Pattern MEMORY = Pattern.compile("\\d+[kmgtKMGT]?[bB]?");
    private static final Pattern MASTER = Pattern.compile("spark://[^/\\s]+:\\d+(,[^/\\s]+:\\d+)*|local(\\[(\\d+|\\*)(,\\d+)?])?|k8s://\\S+|yarn");

    public SparkSettings {
        if (master == null || !MASTER.matcher(master.strip()).matches()) {
            throw FlywheelException.invalid("setting 'master' is '" + master + "'; give spark://HOST:PORT (a standalone master), local[N],"
                    + " k8s://https://HOST:PORT or yarn");
        }
        master = master.strip();
        if (deployMode == DeployMode.CLUSTER && master.startsWith("local")) {
            throw FlywheelException.invalid("setting 'deployMode' is cluster, but master " + master + " runs everything in one local process;"
                    + " use deployMode=client with local[N], or a cluster master (spark://HOST:PORT, k8s://..., yarn) for cluster mode");
        }
        memory("executorMemory", executorMemory);
        memory("driverMemory", driverMemory);
        if (executorCores < 1) {
            throw FlywheelException.invalid("setting 'executorCores' must be at least 1, got " + executorCores);
        }
        if (executorInstances != null && executorInstances < 1) {
            throw FlywheelException.invalid("setting 'executorInstances' must be at least 1, got " + executorInstances);
        }
        conf = conf == null ? List.of() : List.copyOf(conf);
        for (String c : conf) {
            int eq = c.indexOf('=');
            if (eq <= 0 || !c.startsWith("spark.")) {
                throw FlywheelException.invalid("setting 'conf' entry '" + c + "' is not spark.KEY=VALUE");
            }
        }
        jars = jars == null ? List.of() : List.copyOf(jars);
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw FlywheelException.invalid("setting 'connectTimeout' must be positive");
        }
    }

    private static void memory(String name, String value) {
        if (value == null || !MEMORY.matcher(value).matches()) {
            throw FlywheelException.invalid("setting '" + name + "' is '" + value + "'; give a size like 512m or 2g");
        }
    }

    /** The master's web UI: the setting, or port 8080 of the first standalone master; null for other masters. */
    public URI masterUiOrDefault() {
        if (masterUi != null) {
            return masterUi;
        }
        if (master.startsWith("spark://")) {
            String first = master.substring("spark://".length()).split(",")[0];
            return URI.create("http://" + first.substring(0, first.lastIndexOf(':')) + ":8080");
        }
        return null;
    }
}
