package dev.flywheel.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Faults on a cluster of its own (the shared one stays whole): a worker lost mid-step, then the master gone. */
class SparkFaultsTest {
    @TempDir
    Path dir;

    @Test
    void aWorkerKilledMidStepNeverHangsTheStepAndAMasterThatIsDownFailsClearly() throws Exception {
        LocalSparkCluster cluster = LocalSparkCluster.start(SparkClusterExtension.home(), LocalSparkCluster.Options.small(2, dir.resolve("cluster")));
        List<ProcessHandle> started;
        try (Flywheel flywheel = SparkStepOperatorTest.project(dir, Map.of("master", cluster.masterUrl(), "executorInstances", "2",
                "masterUi", cluster.masterUi().toString(), "connectTimeout", "3s"))) {
            // 16 numbers in 8 tasks of 2 x 2 s: the step is busy for a while on both executors
            CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> flywheel.run(
                    SparkStepOperatorTest.sum(new SparkTestSteps.Config(16, 8, -1, 2000), Duration.ofMinutes(6)), RunOptions.defaults(),
                    RunListener.NONE));
            awaitExecutorOn(cluster.workers().get(0), Duration.ofMinutes(6));
            cluster.killWorker(0);

            RunResult run = running.get(8, TimeUnit.MINUTES);
            if (run.succeeded()) { // Spark re-ran the lost tasks on the other worker
                SparkTestSteps.Sum sum = flywheel.artifacts().load(run.artifactId("sum_on_spark", "sum"), SparkTestSteps.Sum.class);
                assertThat(sum.total()).isEqualTo(136L);
            } else {
                assertThat(run.error()).containsAnyOf("lost", "Lost", "exited", "ExecutorLost", "Job aborted");
            }
            started = cluster.liveProcesses();

            cluster.killMaster();
            long t0 = System.nanoTime();
            RunResult down = flywheel.run(SparkStepOperatorTest.sum(new SparkTestSteps.Config(4, 1, -1, 0), Duration.ofMinutes(2)),
                    RunOptions.defaults(), RunListener.NONE);
            assertThat(down.succeeded()).isFalse();
            assertThat(down.error()).contains("is not reachable").contains(cluster.masterUrl());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        } finally {
            cluster.close();
        }
        assertThat(started).as("no Spark process left behind").noneMatch(ProcessHandle::isAlive);
    }

    private static void awaitExecutorOn(LocalSparkCluster.Worker worker, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Await.until(timeout, "an executor on worker " + worker.index(), () -> {
            try {
                String body = http.send(HttpRequest.newBuilder(worker.webUi().resolve("/json/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return !new ObjectMapper().readTree(body).path("executors").isEmpty();
            } catch (java.io.IOException busy) {
                return false; // the worker's UI is slow to answer on a busy machine; ask again
            }
        });
    }
}
