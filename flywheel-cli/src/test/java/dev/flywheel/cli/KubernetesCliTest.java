package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
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

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kserve deployer from the command line, against fabric8's mock API server: {@code models deploy --render} prints
 * the manifests and applies nothing; a real deploy is listed, described (object, conditions, events), its URL given,
 * and deleted with the same {@code served-models} verbs as the local flavor's.
 */
class KubernetesCliTest {
    private static final ResourceDefinitionContext ISVC = new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io")
            .withVersion("v1beta1").withKind("InferenceService").withPlural("inferenceservices").withNamespaced(true).build();
    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses,
                List.of(new CustomResourceDefinitionContext.Builder().withGroup("serving.kserve.io").withVersion("v1beta1")
                        .withKind("InferenceService").withPlural("inferenceservices").withScope("Namespaced").build())), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // The mock server waits 10 s for lingering connections; on a loaded machine it may give up: not the test's outcome.
        }
    }

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    CliResult ok(String... args) {
        CliResult r = flywheel(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    private void projectWithKServe(String... settings) throws Exception {
        ok("init");
        Path onnx = Path.of(getClass().getResource("/onnx/sklearn/ridge_regressor.onnx").toURI());
        ok("models", "import", "demand", "--onnx", onnx.toString());
        List<String> register = new java.util.ArrayList<>(List.of("model-deployer", "register", "cluster", "--flavor", "kserve",
                "-s", "masterUrl=http://127.0.0.1:" + server.getPort(), "-s", "namespace=models", "-s", "serviceAccountName=s3-reader",
                "-s", "storageUriTemplate=s3://models/{model}/{version}/"));
        for (String setting : settings) {
            register.addAll(List.of("-s", setting));
        }
        ok(register.toArray(String[]::new));
        ok("stack", "register", "prod", "-d", "cluster");
        ok("stack", "set", "prod");
    }

    /** Runs a command while playing KServe's controller: every InferenceService whose latest generation has no status gets Ready. */
    private CliResult settling(String... args) throws Exception {
        CompletableFuture<CliResult> command = CompletableFuture.supplyAsync(() -> flywheel(args));
        while (!command.isDone()) {
            for (GenericKubernetesResource isvc : client.genericKubernetesResources(ISVC).inNamespace("models").list().getItems()) {
                long generation = isvc.getMetadata().getGeneration() == null ? 1 : isvc.getMetadata().getGeneration();
                Object status = isvc.getAdditionalProperties().get("status");
                if (status instanceof Map<?, ?> m && m.get("observedGeneration") instanceof Number n && n.longValue() >= generation) {
                    continue;
                }
                isvc.setAdditionalProperty("status", Map.of("url", "http://demand.models.example.com", "observedGeneration", generation,
                        "conditions", List.of(Map.of("type", "Ready", "status", "True"), Map.of("type", "PredictorReady", "status", "True"))));
                client.genericKubernetesResources(ISVC).inNamespace("models").resource(isvc).updateStatus();
            }
            try {
                command.get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet
            }
        }
        return command.get();
    }

    @Test
    void aCanaryIsMovedPromotedAndRefusedOnTheLocalDeployer() throws Exception {
        projectWithKServe("canaryTrafficPercent=10");
        Path onnx = Path.of(getClass().getResource("/onnx/sklearn/forest_regressor.onnx").toURI());
        ok("models", "import", "demand", "--onnx", onnx.toString());
        assertThat(settling("models", "deploy", "demand", "1", "--as", "demand").exit()).isZero();
        assertThat(settling("models", "deploy", "demand", "2", "--replace").exit()).isZero();
        GenericKubernetesResource isvc = client.genericKubernetesResources(ISVC).inNamespace("models").withName("demand").get();
        assertThat(isvc.getAdditionalProperties().toString()).contains("canaryTrafficPercent=10");
        CliResult moved = settling("served-models", "traffic", "demand", "40");
        assertThat(moved.exit()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("40% of traffic to the new version");
        CliResult promoted = settling("served-models", "traffic", "demand", "100");
        assertThat(promoted.out()).contains("now serves version 2 only (promoted)");
        isvc = client.genericKubernetesResources(ISVC).inNamespace("models").withName("demand").get();
        assertThat(isvc.getAdditionalProperties().toString()).doesNotContain("canaryTrafficPercent");
        CliResult none = flywheel("served-models", "traffic", "demand", "50");
        assertThat(none.exit()).isEqualTo(4);
        assertThat(none.err()).contains("runs no canary");

        ok("stack", "set", "default");
        CliResult local = flywheel("served-models", "traffic", "demand", "50");
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("cannot split traffic").contains("kserve or seldon");
    }

    @Test
    void renderPrintsTheInferenceServiceAndAppliesNothing() throws Exception {
        projectWithKServe();
        String yaml = ok("models", "deploy", "demand", "1", "--as", "demand", "--render").out();
        assertThat(yaml).startsWith("---\napiVersion: \"serving.kserve.io/v1beta1\"\nkind: \"InferenceService\"")
                .contains("name: \"onnx\"").contains("protocolVersion: \"v2\"").contains("storageUri: \"s3://models/demand/1/\"")
                .contains("serviceAccountName: \"s3-reader\"");
        JsonNode json = new ObjectMapper().readTree(ok("models", "deploy", "demand", "1", "--as", "demand", "--render", "--json").out());
        assertThat(json.get("manifests").asText()).contains("kind: \"InferenceService\"");
        assertThat(client.genericKubernetesResources(ISVC).inNamespace("models").list().getItems()).isEmpty();
        assertThat(ok("served-models", "list").out()).doesNotContain("demand");

        ok("stack", "set", "default");
        CliResult local = flywheel("models", "deploy", "demand", "1", "--render");
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("applies no manifests").contains("kserve, seldon and kubernetes");
    }

    @Test
    void runRenderPrintsOneJobPerStepInDependencyOrderAndRunsNothing() throws Exception {
        ok("init");
        ok("orchestrator", "register", "k8s", "--flavor", "kubernetes", "-s", "masterUrl=http://127.0.0.1:" + server.getPort(),
                "-s", "namespace=pipelines", "-s", "secretEnv=FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password");
        ok("stack", "register", "k8s", "-o", "k8s");
        String yaml = ok("run", "hello", "--stack", "k8s", "--render", "-p", "greet.times=3").out();
        assertThat(yaml).startsWith("---\napiVersion: \"batch/v1\"\nkind: \"Job\"").contains("name: \"greet-")
                .contains("flywheel.dev/after: \"greet\"").contains("secretKeyRef").contains("dev.flywheel.engine.run.RemoteStepMain");
        assertThat(yaml.indexOf("name: \"greet-")).isLessThan(yaml.indexOf("name: \"shout-"));
        JsonNode json = new ObjectMapper().readTree(ok("run", "hello", "--stack", "k8s", "--render", "--json").out());
        assertThat(json.get("manifests").asText()).contains("kind: \"Job\"");
        assertThat(client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("batch").withVersion("v1")
                .withKind("Job").withPlural("jobs").withNamespaced(true).build()).inNamespace("pipelines").list().getItems()).isEmpty();
        assertThat(new ObjectMapper().readTree(ok("runs", "list", "--json").out())).as("nothing recorded").isEmpty();

        CliResult badParam = flywheel("run", "hello", "--stack", "k8s", "--render", "-p", "greet.nope=1");
        assertThat(badParam.exit()).isEqualTo(2);
        assertThat(badParam.out()).isEmpty();
        CliResult local = flywheel("run", "hello", "--render");
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("no manifests to render").contains("--flavor kubernetes");
    }

    @Test
    void servedModelsVerbsWorkOnAClusterService() throws Exception {
        projectWithKServe();
        CliResult deployed = settling("models", "deploy", "demand", "1", "--as", "demand", "--timeout", "30");
        assertThat(deployed.exit()).as(deployed.err()).isZero();
        assertThat(deployed.out()).contains("Prediction URL: http://demand.models.example.com");

        assertThat(ok("served-models", "list").out()).contains("demand").contains("active");
        String describe = ok("served-models", "describe", "demand").out();
        assertThat(describe).contains("Flavor:         kserve").contains("Conditions:").contains("Ready=True")
                .contains("Object:").contains("kind: \"InferenceService\"");
        JsonNode json = new ObjectMapper().readTree(ok("served-models", "describe", "demand", "--json").out());
        assertThat(json.get("cluster").get("conditions").get(0).get("type").asText()).isEqualTo("Ready");
        assertThat(ok("served-models", "get-url", "demand").out()).contains("http://demand.models.example.com");

        ok("served-models", "delete", "demand", "--yes");
        assertThat(client.genericKubernetesResources(ISVC).inNamespace("models").list().getItems()).isEmpty();
        assertThat(ok("served-models", "list").out()).doesNotContain("kserve");
    }
}
