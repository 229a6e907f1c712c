package dev.flywheel.kubernetes;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.Placement;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceDetails;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.kubernetes.internal.Kinds;
import dev.flywheel.s3.S3ArtifactStore;
import dev.flywheel.s3.S3StoreConfig;
import dev.flywheel.testdb.S3Server;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
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
import org.junit.jupiter.params.provider.ValueSource;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Queue;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster deployers against fabric8's Kubernetes mock server (CRUD mode with the real CRDs' group, version and
 * kind; expectations for API errors) and a real SQLite services table. A {@link FakeController} writes the
 * conditions the operators would.
 */
class ClusterDeployerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path home;
    KubernetesMockServer server;
    KubernetesClient client;
    MetadataStore metadata;
    ServiceStore store;
    FakeController controller;

    @BeforeEach
    void startApiServer() {
        // CRUD mode (objects persist) mixed with expectations (which win when one matches), over plain HTTP on loopback.
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        List<CustomResourceDefinitionContext> crds = List.of(Kinds.INFERENCE_SERVICE, Kinds.SELDON_MODEL, Kinds.SELDON_EXPERIMENT).stream()
                .map(k -> new CustomResourceDefinitionContext.Builder().withGroup(k.group()).withVersion(k.context().getVersion())
                        .withKind(k.kind()).withPlural(k.plural()).withScope("Namespaced").build()).toList();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses, crds), false);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        store = new ServiceStore(metadata);
        controller = new FakeController(client, "models");
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // The mock server waits 10 s for lingering connections; on a loaded machine it may give up: not the test's outcome.
        }
        metadata.close();
    }

    private ClusterModelDeployer deployer(String flavor, KubernetesDeployerConfig settings) {
        return ClusterModelDeployer.create(flavor, client, store, settings.withStorageUriTemplate("s3://models/{model}/{version}/{sha256}"),
                null, Clock.systemUTC());
    }

    private GenericKubernetesResource object(Kinds kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace("models").withName(name).get();
    }

    private static Map<?, ?> spec(GenericKubernetesResource o) {
        return (Map<?, ?>) o.getAdditionalProperties().get("spec");
    }

    private static Kinds mainKind(String flavor) {
        return switch (flavor) {
            case "kserve" -> Kinds.INFERENCE_SERVICE;
            case "seldon" -> Kinds.SELDON_MODEL;
            default -> Kinds.DEPLOYMENT;
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kserve", "seldon", "kubernetes"})
    void deployWaitsForTheClusterThenReplaceChangesTheSameObjectsAndDeleteRemovesThem(String flavor) throws Exception {
        ClusterModelDeployer deployer = deployer(flavor, Fixtures.settings());
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "xgboost"), new Placement.NewService("demand-prod"), TIMEOUT));
        assertThat(s.status()).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(s.record().flavor()).isEqualTo(flavor);
        assertThat(s.predictionUrl()).startsWith("http://");
        GenericKubernetesResource main = object(mainKind(flavor), "demand-prod");
        assertThat(main.getMetadata().getLabels()).containsEntry("flywheel.dev/model-version", "1")
                .containsEntry("flywheel.dev/service", s.record().uuid().toString());
        String uid = main.getMetadata().getUid();

        Service replaced = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(2, "xgboost"),
                new Placement.Existing(s.record().uuid(), true), TIMEOUT));
        assertThat(replaced.record().uuid()).isEqualTo(s.record().uuid());
        assertThat(replaced.record().modelVersion()).isEqualTo(2);
        GenericKubernetesResource after = object(mainKind(flavor), "demand-prod");
        assertThat(after.getMetadata().getUid()).as("replaced in place, not recreated").isEqualTo(uid);
        assertThat(after.getMetadata().getLabels()).containsEntry("flywheel.dev/model-version", "2");
        assertThat(Manifest.yamlOf(after)).contains(Fixtures.SHA_V2).doesNotContain(Fixtures.SHA_V1);
        assertThat(deployer.findModelServer(null, null, "demand", true)).hasSize(1);

        deployer.deleteService(s.record().uuid(), TIMEOUT, false);
        for (Kinds k : List.of(Kinds.INFERENCE_SERVICE, Kinds.SELDON_MODEL, Kinds.DEPLOYMENT, Kinds.SERVICE, Kinds.CONFIG_MAP)) {
            assertThat(client.genericKubernetesResources(k.context()).inNamespace("models").list().getItems()).as(k.kind()).isEmpty();
        }
        assertThat(store.list(flavor, null, null, null)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kserve", "seldon"})
    void aCanarySendsItsShareToTheNewVersionUntilPromotedOrRolledBack(String flavor) throws Exception {
        ClusterModelDeployer deployer = deployer(flavor, Fixtures.settings().withCanary(10, KubernetesDeployerConfig.CanaryMode.SPLIT));
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("demand"), TIMEOUT));
        assertThat(deployer.canaryPercent("demand")).as("the first version takes all traffic").isNull();

        controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(2, "onnx"), new Placement.Existing(s.record().uuid(), true), TIMEOUT));
        assertThat(deployer.canaryPercent("demand")).isEqualTo(10);
        for (int percent : List.of(30, 60)) {
            controller.whileWaiting(() -> deployer.traffic("demand", percent, TIMEOUT));
            assertThat(deployer.canaryPercent("demand")).isEqualTo(percent);
        }
        if (flavor.equals("seldon")) {
            assertThat(object(Kinds.SELDON_MODEL, "demand").getAdditionalProperties().toString()).as("the stable model still serves v1")
                    .contains(Fixtures.SHA_V1);
            assertThat(object(Kinds.SELDON_MODEL, "demand-candidate")).isNotNull();
        }
        Service promoted = controller.whileWaiting(() -> deployer.traffic("demand", 100, TIMEOUT));
        assertThat(deployer.canaryPercent("demand")).isNull();
        assertThat(promoted.record().modelVersion()).isEqualTo(2);
        if (flavor.equals("seldon")) {
            assertThat(object(Kinds.SELDON_EXPERIMENT, "demand")).as("experiment ends with the canary").isNull();
            assertThat(object(Kinds.SELDON_MODEL, "demand-candidate")).isNull();
            assertThat(object(Kinds.SELDON_MODEL, "demand").getAdditionalProperties().toString()).contains(Fixtures.SHA_V2);
        }
        assertThatThrownBy(() -> deployer.traffic("demand", 50, TIMEOUT)).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("runs no canary");

        // A second candidate, rolled back: version 2 serves everything again.
        controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(3, "onnx"), new Placement.Existing(s.record().uuid(), true), TIMEOUT));
        assertThat(deployer.canaryPercent("demand")).isEqualTo(10);
        Service rolledBack = controller.whileWaiting(() -> deployer.traffic("demand", 0, TIMEOUT));
        assertThat(rolledBack.record().modelVersion()).isEqualTo(2);
        assertThat(deployer.canaryPercent("demand")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kserve", "seldon", "kubernetes"})
    void aDeploymentThatNeverBecomesReadyFailsAfterTheTimeoutWithTheClustersReason(String flavor) {
        ClusterModelDeployer deployer = deployer(flavor, Fixtures.settings());
        controller.verdict = FakeController.Verdict.NOT_READY;
        long start = System.nanoTime();
        assertThatThrownBy(() -> controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "xgboost"),
                new Placement.NewService("demand"), Duration.ofSeconds(1))))
                .isInstanceOf(FlywheelException.class)
                .satisfies(e -> assertThat(((FlywheelException) e).code()).isEqualTo(ErrorCode.DEPLOY_FAILED))
                .hasMessageContaining("did not become ready within 1 s")
                .hasMessageContaining(flavor.equals("kubernetes") ? "0 of 1 replicas updated" : "RevisionMissing")
                .hasMessageContaining("flywheel served-models describe demand");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        var record = store.list(flavor, null, null, "demand").getFirst();
        assertThat(record.status()).isInstanceOf(ServiceStatus.Failed.class);
        assertThat(record.lastError()).contains("did not become ready");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kserve", "seldon", "kubernetes"})
    void aReplaceThatNeverBecomesReadyPutsThePreviousObjectsBack(String flavor) throws Exception {
        ClusterModelDeployer deployer = deployer(flavor, Fixtures.settings());
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "xgboost"), new Placement.NewService("demand"), TIMEOUT));
        controller.verdict = FakeController.Verdict.NOT_READY;
        assertThatThrownBy(() -> controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(2, "xgboost"),
                new Placement.Existing(s.record().uuid(), true), Duration.ofSeconds(1))))
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("version 1 keeps serving");
        assertThat(Manifest.yamlOf(object(mainKind(flavor), "demand"))).contains(Fixtures.SHA_V1).doesNotContain(Fixtures.SHA_V2);
        assertThat(store.find(s.record().uuid()).orElseThrow().modelVersion()).isEqualTo(1);
    }

    @Test
    void theKubernetesFlavorRefusesACanaryWithAClearMessage() throws Exception {
        ClusterModelDeployer deployer = deployer("kubernetes", Fixtures.settings().withCanary(10, KubernetesDeployerConfig.CanaryMode.SPLIT));
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "xgboost"), new Placement.NewService("demand"), TIMEOUT));
        assertThatThrownBy(() -> deployer.deployModel(Fixtures.version(2, "xgboost"), new Placement.Existing(s.record().uuid(), true), TIMEOUT))
                .hasMessageContaining("cannot split traffic").hasMessageContaining("kserve or seldon");
    }

    @Test
    void statusFollowsTheConditionsTheClusterWrites() throws Exception {
        ClusterModelDeployer deployer = deployer("kserve", Fixtures.settings());
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("demand"), TIMEOUT));
        assertThat(s.status()).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(s.predictionUrl()).isEqualTo("http://demand.models.example.com");

        controller.verdict = FakeController.Verdict.NOT_READY;
        GenericKubernetesResource isvc = object(Kinds.INFERENCE_SERVICE, "demand");
        isvc.getAdditionalProperties().remove("status");
        controller.settle();
        assertThat(s.status()).isInstanceOfSatisfying(ServiceStatus.Failed.class,
                f -> assertThat(f.lastError()).contains("Ready=False (RevisionMissing: Revision"));
        assertThat(store.find(s.record().uuid()).orElseThrow().status()).isInstanceOf(ServiceStatus.Failed.class);

        controller.verdict = FakeController.Verdict.READY;
        controller.settle();
        assertThat(s.status()).isEqualTo(ServiceStatus.ACTIVE);

        client.genericKubernetesResources(Kinds.INFERENCE_SERVICE.context()).inNamespace("models").withName("demand").delete();
        assertThat(s.status()).isInstanceOfSatisfying(ServiceStatus.Failed.class,
                f -> assertThat(f.lastError()).contains("deleted outside Flywheel"));

        s.stop(TIMEOUT, false);
        assertThat(s.record().desiredState()).isEqualTo(DesiredState.STOPPED);
        assertThat(s.status()).isEqualTo(ServiceStatus.INACTIVE);
        controller.whileWaiting(() -> {
            s.start(TIMEOUT);
            return null;
        });
        assertThat(s.status()).isEqualTo(ServiceStatus.ACTIVE);
    }

    @Test
    void describeShowsTheObjectItsConditionsAndEventsAndLogsComeFromThePods() throws Exception {
        ClusterModelDeployer deployer = deployer("kubernetes", Fixtures.settings());
        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "xgboost"), new Placement.NewService("demand"), TIMEOUT));
        client.v1().events().inNamespace("models").resource(new EventBuilder().withNewMetadata().withName("demand.1").endMetadata()
                .withNewInvolvedObject().withKind("Deployment").withName("demand").endInvolvedObject().withType("Normal")
                .withReason("ScalingReplicaSet").withMessage("Scaled up replica set demand-7d4b to 1").withLastTimestamp("2026-11-29T09:00:00Z")
                .build()).create();
        client.v1().events().inNamespace("models").resource(new EventBuilder().withNewMetadata().withName("other.1").endMetadata()
                .withNewInvolvedObject().withKind("Deployment").withName("other").endInvolvedObject().withType("Normal")
                .withReason("ScalingReplicaSet").withMessage("not ours").build()).create();
        ServiceDetails d = s.details().orElseThrow();
        assertThat(d.object()).contains("kind: \"Deployment\"").contains("name: \"demand\"");
        assertThat(d.conditions()).extracting(ServiceDetails.Condition::describe).contains("Available=True (MinimumReplicasAvailable: "
                + "Deployment has minimum availability.)");
        assertThat(d.events()).hasSize(1).first().asString().contains("ScalingReplicaSet Deployment/demand: Scaled up replica set demand-7d4b to 1");

        String pod = "demand-7d4b-x2k9p";
        client.pods().inNamespace("models").resource(new PodBuilder().withNewMetadata().withName(pod)
                .withLabels(Map.of("flywheel.dev/service", s.record().uuid().toString())).endMetadata().build()).create();
        server.expect().get().withPath("/api/v1/namespaces/models/pods/" + pod + "/log?pretty=false&container=server&tailLines=2")
                .andReturn(200, "started on 8080\nready\n").always();
        assertThat(s.fetchLogs(2).orElseThrow()).containsExactly("==> pod " + pod + " <==", "started on 8080", "ready");
    }

    @Test
    void apiErrorsAreReportedWithTheApisOwnMessage() {
        ClusterModelDeployer deployer = deployer("kserve", Fixtures.settings());
        String path = "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices";
        server.expect().post().withPath(path).andReturn(HttpURLConnection.HTTP_FORBIDDEN, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("inferenceservices.serving.kserve.io is forbidden: User \"system:serviceaccount:flywheel:runner\" "
                        + "cannot create resource \"inferenceservices\" in API group \"serving.kserve.io\" in the namespace \"models\"").build()).once();
        assertThatThrownBy(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("a"), TIMEOUT))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("forbids it (403)")
                .hasMessageContaining("cannot create resource \"inferenceservices\"").hasMessageContaining("grant the account a Role");

        server.expect().post().withPath(path).andReturn(HttpURLConnection.HTTP_CONFLICT, new StatusBuilder().withCode(409).withReason("AlreadyExists")
                .withMessage("inferenceservices.serving.kserve.io \"b\" already exists").build()).once();
        assertThatThrownBy(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("b"), TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("(409)").hasMessageContaining("\"b\" already exists");

        server.expect().post().withPath(path).andReturn(422, new StatusBuilder().withCode(422).withReason("Invalid")
                .withMessage("InferenceService.serving.kserve.io \"c\" is invalid: spec.predictor.maxReplicas: Invalid value: 0: "
                        + "should be greater than or equal to 1").build()).once();
        assertThatThrownBy(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("c"), TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("rejected the manifest as invalid (422)").hasMessageContaining("spec.predictor.maxReplicas: Invalid value")
                .hasMessageContaining("check the model deployer's settings (flywheel model-deployer describe)");
        assertThat(store.list("kserve", null, null, null)).allSatisfy(r -> assertThat(r.status()).isInstanceOf(ServiceStatus.Failed.class));
    }

    @Test
    void renderPrintsWhatADeployWouldApplyAndAppliesNothing() throws Exception {
        ClusterModelDeployer deployer = deployer("kserve", Fixtures.settings());
        String yaml = deployer.render(Fixtures.version(1, "onnx"), new Placement.NewService("demand"));
        assertThat(yaml).contains("kind: \"InferenceService\"").contains("name: \"demand\"").contains("protocolVersion: \"v2\"");
        assertThat(object(Kinds.INFERENCE_SERVICE, "demand")).isNull();
        assertThat(store.list("kserve", null, null, null)).isEmpty();

        Service s = controller.whileWaiting(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("demand"), TIMEOUT));
        String replace = deployer.render(Fixtures.version(2, "onnx"), new Placement.Existing(s.record().uuid(), true));
        assertThat(replace).contains(Fixtures.SHA_V2).contains("flywheel.dev/service: \"" + s.record().uuid() + "\"");
        assertThat(Manifest.yamlOf(object(Kinds.INFERENCE_SERVICE, "demand"))).doesNotContain(Fixtures.SHA_V2);
    }

    /** A real XGBoost booster (UBJSON, what Flywheel's trainer returns) of 3 inputs. */
    private static byte[] trainedXgboost() {
        int rows = 64;
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        java.util.Random random = new java.util.Random(3);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                x[r * 3 + c] = random.nextFloat();
            }
            y[r] = 2 * x[r * 3] + x[r * 3 + 1];
        }
        return dev.flywheel.formats.xgboost.XgboostTrainer.regression(Map.of("max_depth", 2), 5)
                .fit(new dev.flywheel.formats.FeatureBatch(rows, 3, x), y, Fixtures.SIGNATURE, "demand").content();
    }

    private static byte[] onnxModel() throws java.io.IOException {
        try (var in = ClusterDeployerTest.class.getResourceAsStream("/models/linear_regressor.onnx")) {
            return in.readAllBytes();
        }
    }

    private static Map<String, java.time.Instant> objects(S3Server s3, String bucket, String prefix) {
        try (var direct = s3.client()) {
            Map<String, java.time.Instant> out = new java.util.TreeMap<>();
            direct.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> out.put(o.key(), o.lastModified()));
            return out;
        }
    }

    private static Object storageUriOf(GenericKubernetesResource isvc) {
        Map<?, ?> predictor = (Map<?, ?>) spec(isvc).get("predictor");
        return ((Map<?, ?>) predictor.get("model")).get("storageUri");
    }

    private static byte[] object(S3Server s3, String bucket, String key) {
        try (var direct = s3.client()) {
            return direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        }
    }

    /**
     * KServe's runtimes read a folder, not a content-addressed blob: a deploy publishes the version's file where
     * xgbserver (model.ubj) and Triton (a model repository) look for it, points storageUri at that folder, and a
     * deploy of the same version again sends nothing.
     */
    @Test
    void kserveDeploysPublishTheLayoutTheRuntimeReadsAndADeployAgainUploadsNothing() throws Exception {
        try (S3Server s3 = S3Server.start(java.nio.file.Files.createDirectories(home.resolve("s3")))) {
            s3.createBucket("artifacts");
            try (S3ArtifactStore artifacts = S3ArtifactStore.open(S3StoreConfig.of("artifacts", home.resolve("cache")).withPrefix("team")
                    .withEndpoint(s3.endpoint(), true).withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY), Clock.systemUTC())) {
                byte[] xgb = trainedXgboost();
                byte[] onnx = onnxModel();
                DeploymentConfig xgbVersion = DeploymentConfig.adHoc("demand", 1, "xgboost", Path.of("unused"), Fixtures.SIGNATURE,
                        artifacts.write(out -> out.write(xgb)).sha256());
                DeploymentConfig onnxVersion = DeploymentConfig.adHoc("demand", 2, "onnx", Path.of("unused"), Fixtures.SIGNATURE,
                        artifacts.write(out -> out.write(onnx)).sha256());
                ClusterModelDeployer deployer = ClusterModelDeployer.create("kserve", client, store, Fixtures.settings(), artifacts,
                        Clock.systemUTC());

                Service x = controller.whileWaiting(() -> deployer.deployModel(xgbVersion, new Placement.NewService("demand-xgb"), TIMEOUT));
                Service o = controller.whileWaiting(() -> deployer.deployModel(onnxVersion, new Placement.NewService("demand-onnx"), TIMEOUT));

                Map<String, java.time.Instant> published = objects(s3, "artifacts", "team/serving/");
                assertThat(published.keySet()).containsExactly(
                        "team/serving/demand/1/xgboost/model.ubj",
                        "team/serving/demand/2/triton/demand/1/model.onnx",
                        "team/serving/demand/2/triton/demand/config.pbtxt");
                assertThat(object(s3, "artifacts", "team/serving/demand/1/xgboost/model.ubj")).isEqualTo(xgb);
                assertThat(object(s3, "artifacts", "team/serving/demand/2/triton/demand/1/model.onnx")).isEqualTo(onnx);
                assertThat(new String(object(s3, "artifacts", "team/serving/demand/2/triton/demand/config.pbtxt"), StandardCharsets.UTF_8))
                        .isEqualTo("backend: \"onnxruntime\"\n");
                assertThat(storageUriOf(object(Kinds.INFERENCE_SERVICE, "demand-xgb")))
                        .isEqualTo("s3://artifacts/team/serving/demand/1/xgboost/");
                assertThat(storageUriOf(object(Kinds.INFERENCE_SERVICE, "demand-onnx")))
                        .isEqualTo("s3://artifacts/team/serving/demand/2/triton/");

                // the clock ticks past the objects' second, so a second upload would show in their Last-Modified
                java.time.Instant after = published.values().stream().max(java.time.Instant::compareTo).orElseThrow().plusSeconds(1);
                dev.flywheel.testkit.Await.until(Duration.ofSeconds(5), "a new second", () -> java.time.Instant.now().isAfter(after));
                controller.whileWaiting(() -> deployer.deployModel(xgbVersion, new Placement.Existing(x.record().uuid(), true), TIMEOUT));
                controller.whileWaiting(() -> deployer.deployModel(onnxVersion, new Placement.Existing(o.record().uuid(), true), TIMEOUT));
                assertThat(objects(s3, "artifacts", "team/serving/")).as("nothing uploaded again").isEqualTo(published);

                // --render publishes too (what it prints must work when applied by hand); Seldon's MLServer gets its settings
                String yaml = deployer.render(xgbVersion, new Placement.NewService("demand-again"));
                assertThat(yaml).contains("storageUri: \"s3://artifacts/team/serving/demand/1/xgboost/\"");
                ClusterModelDeployer seldon = ClusterModelDeployer.create("seldon", client, store, Fixtures.settings(), artifacts, Clock.systemUTC());
                assertThat(seldon.render(xgbVersion, new Placement.NewService("demand-seldon")))
                        .contains("storageUri: \"s3://artifacts/team/serving/demand/1/mlserver/\"");
                assertThat(seldon.render(onnxVersion, new Placement.NewService("demand-seldon")))
                        .contains("storageUri: \"s3://artifacts/team/serving/demand/2/triton/demand/\"");
                assertThat(objects(s3, "artifacts", "team/serving/demand/1/mlserver/").keySet())
                        .containsExactly("team/serving/demand/1/mlserver/model-settings.json", "team/serving/demand/1/mlserver/model.ubj");
                assertThat(new String(object(s3, "artifacts", "team/serving/demand/1/mlserver/model-settings.json"), StandardCharsets.UTF_8))
                        .contains("mlserver_xgboost.XGBoostModel").contains("./model.ubj");
            }
        }
    }

    @Test
    void aNameTakenByAnObjectFlywheelDidNotMakeIsRefused() {
        client.genericKubernetesResources(Kinds.INFERENCE_SERVICE.context()).inNamespace("models").resource(
                dev.flywheel.kubernetes.internal.Manifests.parse("""
                        apiVersion: serving.kserve.io/v1beta1
                        kind: InferenceService
                        metadata:
                          name: demand
                          namespace: models
                        spec:
                          predictor: {}
                        """).getFirst()).create();
        ClusterModelDeployer deployer = deployer("kserve", Fixtures.settings());
        assertThatThrownBy(() -> deployer.deployModel(Fixtures.version(1, "onnx"), new Placement.NewService("demand"), TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("InferenceService demand exists already").hasMessageContaining("not made by Flywheel");
    }

    /** YAML of an object read back from the API, for content checks. */
    static final class Manifest {
        static String yamlOf(GenericKubernetesResource o) {
            return dev.flywheel.kubernetes.internal.Manifests.yaml(o);
        }
    }
}
