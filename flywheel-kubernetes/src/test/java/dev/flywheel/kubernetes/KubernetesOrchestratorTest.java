package dev.flywheel.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.store.metadata.StepRunRecord;
import dev.flywheel.testdb.S3Server;
import dev.flywheel.testkit.NoDaemonLeft;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole runs through the {@code kubernetes} orchestrator against fabric8's mock API server, with {@link FakeKubelet}
 * running each Job's container command line as a real child JVM (SQLite metadata, a local artifact store under the
 * shared path): every step becomes a Job, in dependency order, the run follows the Jobs.
 */
@ExtendWith(NoDaemonLeft.class)
class KubernetesOrchestratorTest {
    static final String NS = "pipelines";
    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient client;
    FakeKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("flywheel-stores").endMetadata()
                .withData(Map.of("db-password", Base64.getEncoder().encodeToString("pg-s3cr3t-value".getBytes(StandardCharsets.UTF_8))))
                .build()).create();
        Files.createDirectories(dir.resolve("pod-logs"));
        kubelet = new FakeKubelet(server, client, NS, dir.resolve("pod-logs"));
    }

    @AfterEach
    void stop() throws Exception {
        kubelet.close();
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // the mock server waits for lingering connections; on a loaded machine it may give up: not the test's outcome
        }
    }

    /** A project whose active stack runs on the kubernetes orchestrator against the mock server. */
    Flywheel project(Map<String, String> extra) {
        return project(extra, null);
    }

    /** ... with the stack's artifact store {@code artifactStore} when given (registered before). */
    Flywheel project(Map<String, String> extra, String artifactStore) {
        try (Flywheel setup = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            Map<String, String> s = new HashMap<>(Map.of("masterUrl", client.getMasterUrl().toString(), "namespace", NS,
                    "sharedPath", dir.toString(), "secretEnv", "FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password",
                    // JVM flags through the Job's own environment, as a user tunes the step runner: quick to start
                    "env", "AWS_REGION=eu-west-1,JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k", "pollInterval", "50ms", "startTimeout", "30s", "image", "registry.example.com/flywheel:1"));
            s.putAll(extra);
            setup.stacks().registerComponent(ComponentKind.ORCHESTRATOR, "k8s", "kubernetes", s);
            setup.stacks().registerStack("k8s", artifactStore == null ? Map.of(ComponentKind.ORCHESTRATOR, "k8s")
                    : Map.of(ComponentKind.ORCHESTRATOR, "k8s", ComponentKind.ARTIFACT_STORE, artifactStore));
            setup.stacks().setActive("k8s");
        }
        return Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    static StepRunRecord stepRun(Flywheel flywheel, RunResult run, String step) {
        return flywheel.runs().describe(run.runId()).steps().stream().map(s -> s.record()).filter(s -> s.name().equals(step))
                .findFirst().orElseThrow();
    }

    @Test
    void everyStepOfARunIsAJobRunInDependencyOrderAndTheRunFollowsTheJobs() throws Exception {
        try (Flywheel flywheel = project(Map.of())) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(100, false, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
            assertThat(flywheel.artifacts().load(run.artifactId("report", "report"), String.class)).isEqualTo("100 numbers adding up to 5050");

            List<Job> jobs = client.batch().v1().jobs().inNamespace(NS).list().getItems();
            String run8 = run.runId().replace("-", "").substring(0, 8);
            assertThat(jobs).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("load-" + run8 + "-1",
                    "sum-" + run8 + "-1", "describe-" + run8 + "-1", "report-" + run8 + "-1");
            Job report = jobs.stream().filter(j -> j.getMetadata().getName().startsWith("report")).findFirst().orElseThrow();
            Job load = jobs.stream().filter(j -> j.getMetadata().getName().startsWith("load")).findFirst().orElseThrow();
            assertThat(Long.parseLong(report.getMetadata().getResourceVersion())).as("report's Job is created after load's ended")
                    .isGreaterThan(Long.parseLong(load.getMetadata().getResourceVersion()));
            assertThat(jobs).allSatisfy(j -> assertThat(j.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getType()).isEqualTo("Complete")));

            // the container ran the image's step runner on the attempt's job file under the shared path
            List<String> command = kubelet.commands().getFirst();
            assertThat(command.subList(0, 4)).containsExactly(FlywheelImage.JAVA, "-XX:MaxRAMPercentage=75", "-cp",
                    FlywheelImage.CLASSPATH + ":" + KubernetesJobConfig.DEFAULT_PIPELINE_CLASSPATH);
            assertThat(command.get(4)).isEqualTo(dev.flywheel.engine.run.RemoteStepMain.class.getName()).isEqualTo(FlywheelImage.STEP_MAIN);
            assertThat(command.get(5)).startsWith(dir.resolve("step-jobs").resolve(run.runId()).toString()).endsWith("/job.json");
            assertThat(dir.resolve("step-jobs").resolve(run.runId())).as("job folders removed once the steps ended").doesNotExist();

            // the secret reached the process through secretKeyRef, and only its declared environment
            StepRunRecord sum = stepRun(flywheel, run, "sum");
            JsonNode md = new ObjectMapper().readTree(sum.metadataJson());
            assertThat(md.path("db_password_length").asInt()).isEqualTo("pg-s3cr3t-value".length());
            assertThat(md.path("aws_region").asText()).isEqualTo("eu-west-1");
            assertThat(md.path("home_inherited").asBoolean()).isFalse();
            assertThat(md.path("kubernetes.job").asText()).isEqualTo("sum-" + run8 + "-1");
            assertThat(md.path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
            // the step's own log came back in the result, the pod's log was fetched into it
            assertThat(sum.logs()).contains("summed 100 numbers").contains("--- step operator log")
                    .contains("==> pod sum-" + run8 + "-1-pod0 <==").contains("sum: pid " + md.path("pid").asLong() + " in the pod");
            String jobYaml = dev.flywheel.kubernetes.internal.Manifests.yaml(
                    client.genericKubernetesResources(dev.flywheel.kubernetes.internal.Kinds.JOB.context()).inNamespace(NS).withName("sum-" + run8 + "-1").get());
            assertThat(jobYaml).contains("secretKeyRef").doesNotContain("pg-s3cr3t-value")
                    .doesNotContain(Base64.getEncoder().encodeToString("pg-s3cr3t-value".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * With an S3 artifact store the pods read inputs from and write outputs to the bucket themselves: its endpoint
     * through env, its keys through secretKeyRef from a Kubernetes Secret; the job spec and the result travel through
     * the bucket too (keyed objects under step-jobs/, gone once collected), so no pod mounts a shared volume.
     */
    @Test
    void withAnS3ArtifactStoreThePodsReadAndWriteTheBucketWithKeysFromAKubernetesSecretAndMountNoVolume() throws Exception {
        try (S3Server s3 = S3Server.start(java.nio.file.Files.createDirectories(dir.resolve("s3")))) {
            s3.createBucket("artifacts");
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("s3").endMetadata()
                    .withData(Map.of("access-key", b64(S3Server.ACCESS_KEY), "secret-key", b64(S3Server.SECRET_KEY))).build()).create();
            try (Flywheel setup = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
                setup.secrets().create("s3", Map.of("accessKeyId", S3Server.ACCESS_KEY, "secretAccessKey", S3Server.SECRET_KEY));
                setup.stacks().registerComponent(ComponentKind.ARTIFACT_STORE, "bucket", "s3", Map.of("bucket", "artifacts",
                        "prefix", "team-a", "endpoint", s3.endpoint().toString(), "pathStyle", "true",
                        "accessKeyId", "{{secret.s3.accessKeyId}}", "secretAccessKey", "{{secret.s3.secretAccessKey}}"));
            }
            // a shared path that exists nowhere: neither Flywheel nor the pods may need it
            Path noVolume = dir.resolve("no-shared-volume");
            try (Flywheel flywheel = project(Map.of("secretEnv", "AWS_ACCESS_KEY_ID=s3:access-key,AWS_SECRET_ACCESS_KEY=s3:secret-key",
                    "env", "AWS_REGION=us-east-1,FLYWHEEL_S3_ENDPOINT=" + s3.endpoint() + ",FLYWHEEL_S3_PATH_STYLE=true,"
                            + "JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k", "sharedPath", noVolume.toString()), "bucket")) {
                RunResult run = flywheel.run(JobTestSteps.pair(new JobTestSteps.Config(20, false, 0)), RunOptions.defaults(),
                        RunListener.NONE);
                assertThat(run.succeeded()).as(String.valueOf(run.error())).isTrue();
                assertThat(flywheel.artifacts().load(run.artifactId("describe", "text"), String.class)).isEqualTo("20 numbers");
                var keys = s3.client().listObjectsV2(b -> b.bucket("artifacts").prefix("team-a/blobs/")).contents();
                assertThat(keys).as("load and describe wrote their outputs to the bucket").hasSizeGreaterThanOrEqualTo(2);
                Path local = dir.resolve(".flywheel/artifacts");
                if (Files.exists(local)) {
                    java.util.Set<String> shas = new java.util.HashSet<>();
                    keys.forEach(o -> shas.add(o.key().substring(o.key().lastIndexOf('/') + 1)));
                    try (var files = Files.walk(local)) {
                        assertThat(files.map(f -> f.getFileName().toString())).as("no blob in the local store").noneMatch(shas::contains);
                    }
                }
                String jobYaml = dev.flywheel.kubernetes.internal.Manifests.yaml(client.genericKubernetesResources(
                        dev.flywheel.kubernetes.internal.Kinds.JOB.context()).inNamespace(NS).list().getItems());
                assertThat(jobYaml).doesNotContain(S3Server.SECRET_KEY).doesNotContain(b64(S3Server.SECRET_KEY)).contains("name: \"s3\"");
                assertThat(jobYaml).as("no shared volume").doesNotContain("volumes").doesNotContain("persistentVolumeClaim")
                        .doesNotContain(noVolume.toString()).contains(FlywheelImage.BUCKET_STEP_MAIN)
                        .contains("- \"s3://artifacts/team-a/\"").contains("- \"step-jobs/" + run.runId() + "/load-1/\"");
                assertThat(noVolume).doesNotExist();
                assertThat(s3.client().listObjectsV2(b -> b.bucket("artifacts").prefix("team-a/step-jobs/")).contents())
                        .as("each job spec and result is deleted once collected").isEmpty();
                assertThat(flywheel.runs().render(JobTestSteps.pair(new JobTestSteps.Config(20, false, 0)), RunOptions.defaults()))
                        .as("--render prints the same pods").contains(FlywheelImage.BUCKET_STEP_MAIN).doesNotContain("persistentVolumeClaim");
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailingJobFailsItsStepWithTheStepsErrorAndSkipsItsDependants() throws Exception {
        try (Flywheel flywheel = project(Map.of())) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, true, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.step("sum").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(run.step("describe").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
            assertThat(run.step("report").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(run.error()).contains("failed on the step operator").contains("the numbers do not add up");
            assertThat(stepRun(flywheel, run, "sum").logs()).contains("IllegalStateException").contains("==> pod sum-");
            assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).extracting(j -> j.getMetadata().getName())
                    .noneMatch(n -> n.startsWith("report"));
        }
    }

    @Test
    void aJobPastItsStepsTimeoutIsDeletedItsProcessKilledAndTheStepFails() {
        try (Flywheel flywheel = project(Map.of())) {
            long started = System.nanoTime();
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, false, 120_000), Duration.ofSeconds(3)),
                    RunOptions.defaults(), RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("ran past the step's timeout of 3s").contains("deleted with its pod");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).extracting(j -> j.getMetadata().getName())
                    .noneMatch(n -> n.startsWith("sum"));
        }
    }

    @Test
    void aJobWhosePodNeverStartsFailsTheStepWithTheClustersReason() {
        kubelet.cannotPull("registry.example.com/flywheel:missing");
        try (Flywheel flywheel = project(Map.of("image", "registry.example.com/flywheel:missing", "startTimeout", "1s"))) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, false, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.step("load").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
            assertThat(run.error()).contains("did not start within 1s and was deleted")
                    .contains("container step waiting (ImagePullBackOff: Back-off pulling image \"registry.example.com/flywheel:missing\")");
        }
    }

    @Test
    void aSecretThePodNeedsThatDoesNotExistIsNamedWhenTheStepFails() {
        try (Flywheel flywheel = project(Map.of("secretEnv", "FLYWHEEL_DB_PASSWORD=nope:db-password", "startTimeout", "1s"))) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, false, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("CreateContainerConfigError: secret \"nope\" not found");
        }
    }

    @Test
    void apiErrorsFailTheStepWithTheApisMessage() {
        server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(403, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", 403, "reason", "Forbidden",
                        "message", "jobs.batch is forbidden: User \"ci\" cannot create resource \"jobs\" in API group \"batch\""))
                .once();
        try (Flywheel flywheel = project(Map.of())) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, false, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error()).contains("could not start").contains("(403)").contains("cannot create resource \"jobs\"")
                    .contains("grant the account a Role");
        }
        server.expect().post().withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(422, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", 422, "reason", "Invalid",
                        "message", "Job.batch \"load\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value"))
                .once();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            RunResult run = flywheel.run(JobTestSteps.diamond(new JobTestSteps.Config(10, false, 0), null), RunOptions.defaults(),
                    RunListener.NONE);
            assertThat(run.error()).contains("(422)").contains("resources.requests: Invalid value")
                    .contains("check the orchestrator's settings (flywheel orchestrator describe)").doesNotContain("deployer");
        }
    }
}
