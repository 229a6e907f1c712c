package dev.flywheel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.store.metadata.StepRunRecord;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(SparkClusterExtension.class)
public class SparkStepOperatorTest {
    @TempDir
    Path dir;

    public static Pipeline sum(SparkTestSteps.Config config, Duration timeout) {
        StepSpec onSpark = StepSpec.of(SparkTestSteps.SumOnSpark.class).withConfig(config).onStepOperator().withoutCache();
        return Pipeline.named("spark_sum")
                .step(StepSpec.of(SparkTestSteps.MakeNumbers.class).withConfig(config))
                .step(timeout == null ? onSpark : onSpark.withTimeout(timeout))
                .build();
    }

    /** A project whose active stack has a spark step operator with these settings (lean: no UI, small executors). */
    public static Flywheel project(Path dir, Map<String, String> settings) {
        Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
        Map<String, String> s = new HashMap<>(Map.of("executorMemory", "512m", "driverMemory", "512m", "localIp", "127.0.0.1",
                "conf", "spark.ui.enabled=false,spark.scheduler.minRegisteredResourcesRatio=1.0,"
                        + "spark.scheduler.maxRegisteredResourcesWaitingTime=60s,spark.executor.extraJavaOptions=-XX:+UseSerialGC"));
        // the Spark installation assembled once from the test class path (each project would assemble its own)
        s.put("sparkHome", SparkClusterExtension.home().dir().toString());
        s.putAll(settings);
        flywheel.stacks().registerComponent(ComponentKind.STEP_OPERATOR, "cluster", "spark", s);
        flywheel.stacks().registerStack("spark", Map.of(ComponentKind.STEP_OPERATOR, "cluster"));
        flywheel.stacks().setActive("spark");
        flywheel.close();
        return Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    static StepRunRecord stepRun(Flywheel flywheel, RunResult run, String step) {
        return flywheel.runs().describe(run.runId()).steps().stream().map(s -> s.record()).filter(s -> s.name().equals(step))
                .findFirst().orElseThrow();
    }

    @Test
    void aStepOnTheSparkOperatorRunsAsAnApplicationOnTheClusterUsingBothWorkers(LocalSparkCluster cluster) throws Exception {
        try (Flywheel flywheel = project(dir, Map.of("master", cluster.masterUrl(), "executorInstances", "2",
                "masterUi", cluster.masterUi().toString()))) {
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(1000, 8, -1, 0), Duration.ofMinutes(6)), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
            SparkTestSteps.Sum sum = flywheel.artifacts().load(run.artifactId("sum_on_spark", "sum"), SparkTestSteps.Sum.class);
            assertThat(sum.total()).isEqualTo(500_500L);

            StepRunRecord step = stepRun(flywheel, run, "sum_on_spark");
            JsonNode md = new com.fasterxml.jackson.databind.ObjectMapper().readTree(step.metadataJson());
            String appId = md.path("spark.app_id").asText();
            assertThat(appId).startsWith("app-");
            assertThat(md.path("operator.url").asText()).isEqualTo(cluster.masterUi().resolve("/app/?appId=" + appId).toString());
            assertThat(md.path("spark.executors").asInt()).isEqualTo(2);
            assertThat(md.path("numbers").asInt()).isEqualTo(1000);
            // both executors finished tasks, and they ran on the two different workers
            assertThat(md.path("spark.tasks_by_executor").size()).isEqualTo(2);
            md.path("spark.tasks_by_executor").forEach(n -> assertThat(n.asInt()).isPositive());
            assertThat(md.path("spark.executor_workers").get("0").asText()).isNotEqualTo(md.path("spark.executor_workers").get("1").asText());
            assertThat(step.logs()).contains("summed 1000 numbers in 8 partitions").contains("--- step operator log");

            // the master saw the application come and go
            boolean listed = false;
            for (JsonNode app : cluster.state().path("completedapps")) {
                listed |= app.path("id").asText().equals(appId);
            }
            assertThat(listed).as("application %s in the master's completed apps", appId).isTrue();
        }
    }

    @Test
    void inClusterDeployModeTheDriverRunsOnAWorkerAndTheMasterSaysHowItEnded(LocalSparkCluster cluster) throws Exception {
        // two one-core workers: the driver takes one, the executor the other
        try (Flywheel flywheel = project(dir, Map.of("master", cluster.masterUrl(), "deployMode", "cluster", "executorInstances", "1",
                "masterUi", cluster.masterUi().toString()))) {
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(1000, 4, -1, 0), Duration.ofMinutes(6)), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
            assertThat(flywheel.artifacts().load(run.artifactId("sum_on_spark", "sum"), SparkTestSteps.Sum.class).total()).isEqualTo(500_500L);

            StepRunRecord step = stepRun(flywheel, run, "sum_on_spark");
            JsonNode md = new com.fasterxml.jackson.databind.ObjectMapper().readTree(step.metadataJson());
            assertThat(md.path("spark.deploy_mode").asText()).isEqualTo("cluster");
            String driverId = md.path("spark.driver_id").asText();
            assertThat(driverId).startsWith("driver-");
            assertThat(md.path("operator.id").asText()).isEqualTo(driverId);
            assertThat(md.path("spark.driver_state").asText()).isEqualTo("FINISHED");
            assertThat(md.path("spark.driver_worker").asText()).startsWith("worker-");
            assertThat(md.path("spark.app_id").asText()).startsWith("app-");
            // the step's own log travels in its result; the driver's log (Spark's) comes from its worker
            assertThat(step.logs()).contains("summed 1000 numbers in 4 partitions").contains("--- step operator log");
            assertThat(driverStates(cluster)).containsEntry(driverId, "FINISHED");
        }
    }

    @Test
    void inClusterDeployModeATimedOutStepHasItsDriverKilledOnTheCluster(LocalSparkCluster cluster) throws Exception {
        try (Flywheel flywheel = project(dir, Map.of("master", cluster.masterUrl(), "deployMode", "cluster", "executorInstances", "1",
                "masterUi", cluster.masterUi().toString()))) {
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(4, 1, -1, 600_000), Duration.ofSeconds(40)), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("timed out after PT40S");
            String driverId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stepRun(flywheel, run, "sum_on_spark").metadataJson())
                    .path("spark.driver_id").asText();
            assertThat(driverId).startsWith("driver-");
            // the master killed the driver: it does not keep a worker's core after the step gave up
            Await.until(Duration.ofSeconds(30), "driver " + driverId + " KILLED", () -> "KILLED".equals(driverStates(cluster).get(driverId)));
        }
    }

    private static Map<String, String> driverStates(LocalSparkCluster cluster) {
        Map<String, String> states = new HashMap<>();
        for (String list : new String[]{"activedrivers", "completeddrivers"}) {
            cluster.state().path(list).forEach(d -> states.put(d.path("id").asText(), d.path("state").asText()));
        }
        return states;
    }

    @Test
    void aFailingSparkJobFailsTheStepWithSparksReason() {
        try (Flywheel flywheel = project(dir, Map.of("master", "local[1]"))) {
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(10, 2, 3, 0), Duration.ofMinutes(6)), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.step("sum_on_spark").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(run.error()).contains("failed on the step operator").contains("bad number 3").contains("Job aborted");
        }
    }

    @Test
    void aStepOverItsTimeoutIsKilledAndFailsSayingSo() {
        try (Flywheel flywheel = project(dir, Map.of("master", "local[1]"))) {
            long started = System.nanoTime();
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(4, 1, -1, 600_000), Duration.ofSeconds(25)), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("timed out after PT25S").contains("was killed");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(3));
            assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("SparkSubmit")))
                    .as("no driver left behind").isEmpty();
        }
    }

    @Test
    void aMasterThatIsDownFailsTheStepClearlyWithinTheConnectTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (Flywheel flywheel = project(dir, Map.of("master", "spark://127.0.0.1:" + closed, "connectTimeout", "3s"))) {
            long started = System.nanoTime();
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(4, 1, -1, 0), Duration.ofMinutes(2)), RunOptions.defaults(), RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("Spark master spark://127.0.0.1:" + closed + " of step operator 'cluster' is not reachable")
                    .contains("start the cluster");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        }
    }

    @Test
    void aStepOnTheOperatorOnAStackWithoutOneFailsSayingHowToAddOne() {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            RunResult run = flywheel.run(sum(new SparkTestSteps.Config(4, 1, -1, 0), null), RunOptions.defaults(), RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("runs on the step operator, but this run's stack has none")
                    .contains("flywheel step-operator register cluster --flavor spark");
        }
    }

    @Test
    void settingsAreCheckedWhenTheOperatorIsRegistered() {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            Map<String, String> bad = Map.of(
                    "master", "mesos://x:1",
                    "executorMemory", "lots",
                    "executorCores", "0",
                    "conf", "ui=false",
                    "deployMode", "cluster",
                    "nosuch", "1");
            bad.forEach((key, value) -> {
                Map<String, String> s = new HashMap<>(Map.of("master", "local[2]"));
                s.put(key, value);
                assertThatThrownBy(() -> flywheel.stacks().registerComponent(ComponentKind.STEP_OPERATOR, "op-" + key.toLowerCase(), "spark", s))
                        .as(key).isInstanceOf(FlywheelException.class).hasMessageContaining(key);
            });
            for (String ok : new String[]{"spark://a:7077", "spark://a:7077,b:7077", "local", "local[4]", "local[*]", "k8s://https://k:6443", "yarn"}) {
                flywheel.stacks().registerComponent(ComponentKind.STEP_OPERATOR, "ok-" + Math.abs(ok.hashCode()), "spark", Map.of("master", ok));
            }
        }
        assertThat(new StepComponents()).isNotNull();
    }
}
