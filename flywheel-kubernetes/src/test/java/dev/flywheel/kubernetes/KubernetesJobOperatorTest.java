package dev.flywheel.kubernetes;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.FlavorSettings;
import dev.flywheel.sdk.flavor.References;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The step operator's Job, its settings and its refusals (whole runs through Jobs: KubernetesOrchestratorTest). */
class KubernetesJobOperatorTest {
    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
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

    static KubernetesJobConfig settings(Map<String, String> raw) {
        return FlavorSettings.bind(new KubernetesJobOperatorFlavor(), raw, References.Resolver.none("test"));
    }

    private StepOperator.Launch launch(Path jobFile, Map<String, String> env) {
        return new StepOperator.Launch("9a1f2e3d-4c5b-6a79-8e0f-112233445566", "demand", "train", 2, jobFile, List.of("java"), List.of(),
                env, Duration.ofMinutes(5));
    }

    private Path job(Path store) {
        Path file = dir.resolve("job.json");
        new StepJob("9a1f2e3d", "demand", "train", "x.Train", 2, null, store.toUri(), List.of(), dir.resolve("result.json")).write(file);
        return file;
    }

    @Test
    void theJobRunsTheImagesStepRunnerWithCredentialsFromSecretKeyRefsAndTheSharedVolume() {
        var operator = new KubernetesJobOperator(client, settings(Map.of("namespace", "pipelines", "sharedPath", "/var/lib/flywheel",
                "secretEnv", "FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password,AWS_SECRET_ACCESS_KEY=s3:secret-key",
                "env", "AWS_REGION=eu-west-1", "serviceAccountName", "pipeline-runner")), Clock.systemUTC());
        String yaml = operator.render(launch(Path.of("/var/lib/flywheel/step-jobs/r/train-2/job.json"), Map.of()));
        assertThat(yaml).contains("name: \"train-9a1f2e3d-2\"", "restartPolicy: \"Never\"", "backoffLimit: 0", "activeDeadlineSeconds: 300",
                "- \"" + FlywheelImage.JAVA + "\"", "- \"" + FlywheelImage.CLASSPATH + ":/app/pipeline/*\"", "- \"" + FlywheelImage.STEP_MAIN + "\"",
                "- \"/var/lib/flywheel/step-jobs/r/train-2/job.json\"", "secretKeyRef:", "name: \"flywheel-stores\"", "key: \"db-password\"",
                "claimName: \"flywheel-shared\"", "mountPath: \"/var/lib/flywheel\"", "serviceAccountName: \"pipeline-runner\"",
                "fsGroup: 65532");
        assertThat(operator.jobFolder()).isEqualTo(Path.of("/var/lib/flywheel/step-jobs"));
        assertThat(dev.flywheel.engine.run.RemoteStepMain.class.getName()).isEqualTo(FlywheelImage.STEP_MAIN);
    }

    @Test
    void credentialsAsPlainValuesAndMalformedReferencesAreRefusedSayingWhatToWrite() {
        for (String name : List.of("FLYWHEEL_DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "API_TOKEN", "GCP_CREDENTIALS")) {
            assertThatThrownBy(() -> settings(Map.of("env", name + "=hunter2"))).isInstanceOf(FlywheelException.class)
                    .hasMessageContaining(name + " looks like a credential").hasMessageContaining("secretEnv=" + name + "=SECRET:KEY")
                    .hasMessageNotContaining("hunter2");
        }
        for (String bad : List.of("X", "X=secret", "X=Secret:key", "X=:key", "X=secret:", "1X=s:k")) {
            assertThatThrownBy(() -> settings(Map.of("secretEnv", bad))).isInstanceOf(FlywheelException.class)
                    .hasMessageContaining("must be NAME=SECRET:KEY");
        }
        assertThatThrownBy(() -> settings(Map.of("sharedPath", "relative/path"))).hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> settings(Map.of("sharedVolumeClaim", "Not_A_Claim"))).hasMessageContaining("PersistentVolumeClaim");
        assertThatThrownBy(() -> settings(Map.of("startTimeout", "0s"))).hasMessageContaining("startTimeout must be positive");
        assertThatThrownBy(() -> settings(Map.of("maxParallelism", "0"))).hasMessageContaining("maxParallelism must be at least 1");
        assertThat(settings(Map.of("env", "A=1,B=x=y")).plainEnvironment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"));
    }

    @Test
    void anArtifactStoreThePodsCannotSeeIsRefusedBeforeAnyJobIsCreated() {
        var operator = new KubernetesJobOperator(client, settings(Map.of("namespace", "pipelines", "sharedPath", dir.resolve("shared").toString())),
                Clock.systemUTC());
        assertThatThrownBy(() -> operator.run(launch(job(dir.resolve("elsewhere")), Map.of()))).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("the pods see only the shared volume at " + dir.resolve("shared"))
                .hasMessageContaining("artifact-store register");
        assertThatThrownBy(() -> operator.run(launch(job(dir.resolve("shared/artifacts")), Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t"))))
                .hasMessageContaining("takes the step's environment from its settings").hasMessageNotContaining("s3cr3t");
        assertThat(client.batch().v1().jobs().inNamespace("pipelines").list().getItems()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(KubernetesJobOperator.Role.class)
    void anApiErrorOnAJobNamesTheSettingsOfTheComponentThatMadeIt(KubernetesJobOperator.Role role) {
        var operator = new KubernetesJobOperator(client, settings(Map.of("namespace", "pipelines", "sharedPath", dir.toString())),
                Clock.systemUTC(), role, null);
        server.expect().post().withPath("/apis/batch/v1/namespaces/pipelines/jobs")
                .andReturn(422, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", 422, "reason", "Invalid",
                        "message", "Job.batch \"train\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value"))
                .once();
        String describe = role == KubernetesJobOperator.Role.ORCHESTRATOR ? "the orchestrator's settings (flywheel orchestrator describe)"
                : "the step operator's settings (flywheel step-operator describe)";
        assertThatThrownBy(() -> operator.run(launch(job(dir.resolve("artifacts")), Map.of())))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(dev.flywheel.sdk.ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("(422)").hasMessageContaining("resources.requests: Invalid value")
                .hasMessageContaining("check " + describe).hasMessageNotContaining("deployer");
    }
}
