package dev.flywheel.kubernetes;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.kubernetes.internal.JobManifests;
import dev.flywheel.kubernetes.internal.Kinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps as Jobs against fabric8's mock API server; the test plays the Job controller by writing the Job's conditions. */
class KubernetesJobOperatorTest {
    KubernetesMockServer server;
    KubernetesClient client;
    KubernetesJobOperator operator;

    @BeforeEach
    void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        operator = new KubernetesJobOperator(client, KubernetesJobConfig.defaults().withNamespace("pipelines"), Clock.systemUTC(),
                Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // The mock server waits 10 s for lingering connections; on a loaded machine it may give up: not the test's outcome.
        }
    }

    private static StepOperator.Launch launch(String step, Duration timeout) {
        return new StepOperator.Launch("9a1f2e3d-4c5b-6a79-8e0f-112233445566", "demand", step,
                List.of("/opt/java/bin/java", "-cp", "/app/libs/*", "dev.flywheel.cli.Main", "step-run", "--run", "9a1f2e3d", "--step", step),
                Map.of("FLYWHEEL_METADATA_URL", "jdbc:postgresql://pg:5432/flywheel", "AWS_SECRET_ACCESS_KEY", "s3cr3t"), List.of(), timeout);
    }

    private GenericKubernetesResource job(String name) {
        return client.genericKubernetesResources(Kinds.JOB.context()).inNamespace("pipelines").withName(name).get();
    }

    /** Runs the step while playing the Job controller: once the Job exists, its condition {@code type=True} is written. */
    private StepOperator.Outcome runEndingWith(StepOperator.Launch launch, String type, String reason, String message) throws Exception {
        CompletableFuture<StepOperator.Outcome> outcome = CompletableFuture.supplyAsync(() -> operator.run(launch));
        String name = JobManifests.jobName(launch);
        while (!outcome.isDone()) {
            GenericKubernetesResource job = job(name);
            if (job != null && type != null && job.getAdditionalProperties().get("status") == null) {
                job.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", type, "status", "True",
                        "reason", reason, "message", message))));
                client.genericKubernetesResources(Kinds.JOB.context()).inNamespace("pipelines").resource(job).updateStatus();
            }
            try {
                outcome.get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running
            }
        }
        return outcome.get();
    }

    @Test
    void aStepRunsAsAJobWhoseEnvironmentIsASecretAndItsOutcomeFollowsTheJob() throws Exception {
        StepOperator.Launch launch = launch("train", Duration.ofMinutes(5));
        StepOperator.Outcome ok = runEndingWith(launch, "Complete", "Completed", "Job completed");
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.externalId()).isEqualTo("train-9a1f2e3d");
        GenericKubernetesResource job = job("train-9a1f2e3d");
        String yaml = dev.flywheel.kubernetes.internal.Manifests.yaml(job);
        assertThat(yaml).contains("restartPolicy: \"Never\"").contains("backoffLimit: 0").contains("activeDeadlineSeconds: 300")
                .contains("secretRef").contains("step-run").doesNotContain("s3cr3t").doesNotContain("czNjcjN0");
        assertThat(job.getMetadata().getLabels()).containsEntry("flywheel.dev/step", "train");
        assertThat(client.secrets().inNamespace("pipelines").withName("train-9a1f2e3d-env").get()).as("removed once the step ended").isNull();

        StepOperator.Outcome failed = runEndingWith(launch("evaluate", null), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.reason()).contains("Failed=True (BackoffLimitExceeded: Job has reached the specified backoff limit)");
    }

    @Test
    void aJobPastTheStepsTimeoutIsDeletedAndTheStepFails() throws Exception {
        StepOperator.Outcome outcome = runEndingWith(launch("train", Duration.ofMillis(300)), null, null, null);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.reason()).contains("ran past the step's timeout").contains("deleted");
        assertThat(job("train-9a1f2e3d")).isNull();
    }

    @Test
    void renderShowsTheJobWithTheSecretsValuesMaskedAndLogsComeFromTheJobsPod() {
        String yaml = operator.render(launch("train", Duration.ofMinutes(5)));
        assertThat(yaml).contains("kind: \"Job\"").contains("kind: \"Secret\"").contains("AWS_SECRET_ACCESS_KEY: \"<masked>\"")
                .doesNotContain("s3cr3t").doesNotContain("czNjcjN0");
        assertThat(job("train-9a1f2e3d")).isNull();

        client.pods().inNamespace("pipelines").resource(new PodBuilder().withNewMetadata().withName("train-9a1f2e3d-x7k2")
                .withLabels(Map.of("job-name", "train-9a1f2e3d")).endMetadata().build()).create();
        server.expect().get().withPath("/api/v1/namespaces/pipelines/pods/train-9a1f2e3d-x7k2/log?pretty=false&container=step&tailLines=10")
                .andReturn(200, "epoch 1 rmse=0.41\nepoch 2 rmse=0.33\n").always();
        assertThat(operator.logs(launch("train", null), 10)).containsExactly("==> pod train-9a1f2e3d-x7k2 <==", "epoch 1 rmse=0.41",
                "epoch 2 rmse=0.33");
    }
}
