package dev.flywheel.registry;

import dev.flywheel.sdk.model.MetricDirection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The registry on a real metadata store (SQLite, then PostgreSQL) and a real artifact folder, with real XGBoost models
 * of the bike-sharing data.
 */
@EveryMetadataStore
class ModelRegistryTest {
    @Parameter
    TestDatabase database;
    static Model firstHalfYear;
    static Model fullYear;

    @TempDir
    Path dir;
    MetadataStore metadata;
    LocalArtifactStore artifacts;
    ModelRegistry registry;

    @BeforeAll
    static void train() {
        firstHalfYear = BikeData.train("bike", 6, 50);
        fullYear = BikeData.train("bike", 12, 50);
    }

    @BeforeEach
    void open() {
        metadata = database.open(dir);
        artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        registry = new ModelRegistry(metadata, artifacts, ModelFormats.load(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (metadata != null) {
            metadata.close();
        }
    }

    @Test
    void trainPromoteRetrainCompareRollbackRecordsEveryStageChange() throws Exception {
        RunFixture.Run run1 = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        ModelVersion v1 = registry.register(firstHalfYear, run1.runId(), "train");
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.stage()).isEqualTo(Stage.NONE);
        assertThat(v1.format()).isEqualTo("xgboost");
        assertThat(v1.metrics()).containsOnlyKeys("rmse", "mae");
        assertThat(v1.signature().inputNames()).isEqualTo(BikeData.FEATURES).doesNotContain("casual", "registered");
        Lineage.FromRun lineage1 = (Lineage.FromRun) v1.lineage();
        assertThat(lineage1.pipeline()).isEqualTo("bike_demand");
        assertThat(lineage1.runId()).isEqualTo(run1.runId());
        assertThat(lineage1.step()).isEqualTo("train");
        assertThat(lineage1.stepRunId()).isEqualTo(run1.trainStepRunId());
        assertThat(lineage1.data()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("load.table");
            assertThat(d.sha256()).isEqualTo(run1.data().sha256());
            assertThat(d.depth()).isEqualTo(1);
        });

        registry.promote("bike", 1, Stage.PRODUCTION, "alice");
        assertThat(registry.production("bike")).map(ModelVersion::version).contains(1);

        RunFixture.Run run2 = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        ModelVersion v2 = registry.register(fullYear, run2.runId(), "train");
        assertThat(v2.version()).isEqualTo(2);

        ModelComparison cmp = registry.compare(ModelRef.version("bike", 2), ModelRef.stage("bike", Stage.PRODUCTION));
        assertThat(cmp.metric("rmse").direction()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(cmp.metric("rmse").winner()).as("a model trained on 12 months beats one trained on 6, on held-out rows of all 12")
                .isEqualTo(ModelComparison.Winner.A);
        assertThat(cmp.metric("mae").winner()).isEqualTo(ModelComparison.Winner.A);
        assertThat(cmp.metric("rmse").change()).isCloseTo(v2.metrics().get("rmse") - v1.metrics().get("rmse"), within(1e-9));

        registry.promote("bike", 2, Stage.PRODUCTION, "bob");
        assertThat(registry.get("bike", 1).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.get("bike", 2).stage()).isEqualTo(Stage.PRODUCTION);

        ModelVersion back = registry.rollback("bike", "carol");
        assertThat(back.version()).isEqualTo(1);
        assertThat(registry.production("bike")).map(ModelVersion::version).contains(1);
        assertThat(registry.get("bike", 2).stage()).isEqualTo(Stage.ARCHIVED);

        List<StageChange> history = registry.history("bike");
        assertThat(history).extracting(StageChange::seq, StageChange::version, StageChange::from, StageChange::to, StageChange::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 1, Stage.NONE, Stage.PRODUCTION, "alice"),
                        org.assertj.core.groups.Tuple.tuple(2, 1, Stage.PRODUCTION, Stage.ARCHIVED, "bob"),
                        org.assertj.core.groups.Tuple.tuple(3, 2, Stage.NONE, Stage.PRODUCTION, "bob"),
                        org.assertj.core.groups.Tuple.tuple(4, 2, Stage.PRODUCTION, Stage.ARCHIVED, "carol"),
                        org.assertj.core.groups.Tuple.tuple(5, 1, Stage.ARCHIVED, Stage.PRODUCTION, "carol"));
        assertThat(history.get(1).reason()).isEqualTo("replaced by version 2");
        assertThat(history.get(4).reason()).isEqualTo("rollback from version 2");
        assertThat(history).allSatisfy(h -> assertThat(h.at()).isNotNull());

        assertThat(registry.rollback("bike", "dave").version()).as("a second rollback undoes the first").isEqualTo(2);

        // The production version loads and predicts what it predicted at training time.
        ModelVersion production = registry.production("bike").orElseThrow();
        BikeData.Split test = BikeData.heldOut(12);
        try (LoadedModel loaded = registry.open(production)) {
            float p = loaded.predict(new FeatureBatch(1, 12, Arrays.copyOf(test.x().values(), 12))).get(0, 0);
            assertThat(p).isFinite();
        }
        assertThat(registry.modelFile(production)).exists().hasSize(fullYear.content().length);
    }

    @Test
    void provenanceNamesDataHashesStepConfigCodeHashRunAndPlatform() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        ModelVersion v = registry.register(firstHalfYear, run.runId(), "train");
        JsonNode p = new ObjectMapper().readTree(registry.provenance(v));
        assertThat(p.at("/model").asText()).isEqualTo("bike");
        assertThat(p.at("/modelFile/sha256").asText()).isEqualTo(v.file().sha256());
        assertThat(p.at("/source/runId").asText()).isEqualTo(run.runId());
        assertThat(p.at("/source/codeHash").asText()).isEqualTo("bbbb");
        assertThat(p.at("/source/config/rounds").asInt()).isEqualTo(50);
        assertThat(p.at("/data/0/sha256").asText()).isEqualTo(run.data().sha256());
        assertThat(p.at("/metrics/rmse").asDouble()).isEqualTo(v.metrics().get("rmse"));
        assertThat(p.at("/platform/java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(p.at("/platform/arch").asText()).isEqualTo(System.getProperty("os.arch"));
        assertThat(p.at("/platform/flywheel").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(Files.readAllBytes(registry.modelFile(v))).isEqualTo(firstHalfYear.content());
        assertThat(v.provenance().size()).isEqualTo(Files.size(Path.of(registry.locate(v.provenance()))));
    }

    @Test
    void sameModelFileTwiceIsOneVersionWithTheLaterMetricsAdded() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        Model untested = new Model("bike", "xgboost", firstHalfYear.content(), firstHalfYear.signature(), Map.of());
        assertThat(registry.register(untested, run.runId(), "train").metrics()).isEmpty();
        ModelVersion again = registry.register(untested.withMetric("r2", 0.8), run.runId(), "train");
        assertThat(again.version()).isEqualTo(1);
        assertThat(again.metrics()).containsEntry("r2", 0.8);
        assertThat(registry.versions("bike")).hasSize(1);
    }

    @Test
    void versionNumbersAreNeverReusedAfterADelete() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        registry.register(firstHalfYear, run.runId(), "train");
        registry.register(fullYear, run.runId(), "train");
        registry.deleteVersion("bike", 2, "alice");
        Model third = BikeData.train("bike", 3, 5);
        assertThat(registry.register(third, run.runId(), "train").version()).isEqualTo(3);
        assertThat(registry.versions("bike")).extracting(ModelVersion::version).containsExactly(1, 3);
        assertThat(registry.describe("bike").latestVersion()).isEqualTo(3);
    }

    @Test
    void twoStoresRegisteringAtOnceGetDistinctVersionNumbers() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        List<Model> models = java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(i -> BikeData.train("bike", 1, i)).toList();
        try (MetadataStore second = database.open(dir)) {
            ModelRegistry other = new ModelRegistry(second, new LocalArtifactStore(dir.resolve("artifacts")), ModelFormats.load(), Clock.systemUTC());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<ModelVersion>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < models.size(); i++) {
                    Model m = models.get(i);
                    ModelRegistry r = i % 2 == 0 ? registry : other;
                    futures.add(pool.submit(() -> r.register(m, run.runId(), "train")));
                }
                List<Integer> numbers = new java.util.ArrayList<>();
                for (var f : futures) {
                    numbers.add(f.get().version());
                }
                assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aliasesAreUniquePerModelAndMoveBetweenVersions() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        registry.register(firstHalfYear, run.runId(), "train");
        registry.register(fullYear, run.runId(), "train");
        registry.alias("bike", 1, "champion");
        assertThat(registry.get(ModelRef.parse("bike", "@champion")).version()).isEqualTo(1);
        ModelVersion moved = registry.alias("bike", 2, "champion");
        assertThat(moved.aliases()).containsExactly("champion");
        assertThat(registry.get("bike", 1).aliases()).isEmpty();
        assertThat(registry.describe("bike").aliases()).containsExactly(Map.entry("champion", 2));
        registry.deleteAlias("bike", "champion");
        assertThatThrownBy(() -> registry.get(ModelRef.parse("bike", "@champion")))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("no alias 'champion'");
        assertThatThrownBy(() -> registry.alias("bike", 1, "9lives")).hasMessageContaining("Invalid alias '9lives'");
    }

    @Test
    void tagsAndDescriptionsAreKeptPerModelAndVersion() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        registry.register(firstHalfYear, run.runId(), "train");
        registry.setDescription("bike", "hourly rentals");
        registry.setTag("bike", "team", "mobility");
        registry.setVersionTag("bike", 1, "validated", "yes");
        registry.setVersionDescription("bike", 1, "first half of 2011");
        assertThat(registry.describe("bike").description()).isEqualTo("hourly rentals");
        assertThat(registry.describe("bike").tags()).containsEntry("team", "mobility");
        assertThat(registry.get("bike", 1).tags()).containsEntry("validated", "yes");
        assertThat(registry.get("bike", 1).description()).isEqualTo("first half of 2011");
        registry.setVersionTag("bike", 1, "validated", null);
        assertThat(registry.get("bike", 1).tags()).isEmpty();
    }

    // ------------------------------------------------------------------ bad inputs change nothing

    /** Everything the registry holds, to compare before and after a refused change. */
    private String state() {
        StringBuilder sb = new StringBuilder();
        for (RegisteredModel m : registry.list()) {
            sb.append(m).append('\n');
            registry.versions(m.name()).forEach(v -> sb.append(v).append('\n'));
            registry.history(m.name()).forEach(h -> sb.append(h).append('\n'));
        }
        return sb.toString();
    }

    private void twoVersionsSecondInProduction() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        registry.register(firstHalfYear, run.runId(), "train");
        registry.register(fullYear, run.runId(), "train");
        registry.promote("bike", 1, Stage.PRODUCTION, "alice");
        registry.promote("bike", 2, Stage.PRODUCTION, "alice");
    }

    @Test
    void promotingAnArchivedVersionStraightToProductionIsRefusedWithTheWayToDoIt() throws Exception {
        twoVersionsSecondInProduction();
        String before = state();
        assertThatThrownBy(() -> registry.promote("bike", 1, Stage.PRODUCTION, "bob"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("Version 1 of model 'bike' is archived")
                .hasMessageContaining("flywheel models rollback bike")
                .hasMessageContaining("flywheel models promote bike 1 --stage staging");
        assertThat(state()).isEqualTo(before);

        registry.promote("bike", 1, Stage.STAGING, "bob");
        assertThat(registry.promote("bike", 1, Stage.PRODUCTION, "bob").stage()).as("staging first, then production").isEqualTo(Stage.PRODUCTION);
    }

    @Test
    void deletingTheProductionVersionIsRefusedAndSaysHow() throws Exception {
        twoVersionsSecondInProduction();
        String before = state();
        assertThatThrownBy(() -> registry.deleteVersion("bike", 2, "bob"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("Version 2 of model 'bike' is in production")
                .hasMessageContaining("promote another version first");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void unknownModelVersionAliasAndStageAreNotFoundNamingWhatExists() throws Exception {
        assertThatThrownBy(() -> registry.versions("bike")).hasMessageContaining("no models are registered yet");
        twoVersionsSecondInProduction();
        String before = state();
        assertThatThrownBy(() -> registry.get(ModelRef.parse("bkie", "1")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("No model named 'bkie'; known models: bike");
        assertThatThrownBy(() -> registry.get(ModelRef.parse("bike", "7")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Model 'bike' has no version 7; its versions are 1, 2");
        assertThatThrownBy(() -> registry.get(ModelRef.parse("bike", "@champion")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Model 'bike' has no alias 'champion'; it has no aliases");
        assertThatThrownBy(() -> registry.get(ModelRef.parse("bike", "staging")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no version in stage staging");
        assertThatThrownBy(() -> registry.promote("bike", 9, Stage.STAGING, "bob")).hasMessageContaining("has no version 9");
        assertThatThrownBy(() -> registry.deleteVersion("bike", 9, "bob")).hasMessageContaining("has no version 9");
        assertThatThrownBy(() -> ModelRef.parse("bike", "latest"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void rollbackWithoutAnEarlierProductionVersionIsRefused() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        registry.register(firstHalfYear, run.runId(), "train");
        assertThatThrownBy(() -> registry.rollback("bike", "bob")).hasMessageContaining("has no production version to roll back");
        registry.promote("bike", 1, Stage.PRODUCTION, "bob");
        String before = state();
        assertThatThrownBy(() -> registry.rollback("bike", "bob"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("no earlier production version");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void corruptModelFileIsRejectedWithItsPathAndNothingIsRegistered() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        // Not a truncated UBJ file: XGBoost 2.1.4's native UBJ reader can crash the JVM on some truncations (reported to formats).
        byte[] garbage = "this is not an xgboost model, just text".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> registry.register(new Model("bike", "xgboost", garbage, BikeData.signature(), Map.of()), run.runId(), "train"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("not a readable XGBoost model");
        Path file = dir.resolve("broken.onnx");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> registry.importModel("lin", "onnx", file, SignatureFiles.ofFeatures(List.of("a", "b", "c")), Map.of(), "bob"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining(file.toAbsolutePath().toString());
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void signatureMismatchIsRejectedShowingBothSidesAndNothingIsRegistered() throws Exception {
        RunFixture.Run run = RunFixture.record(metadata, artifacts, "bike_demand", BikeData.csv());
        ModelSignature eleven = ModelSignature.regression(BikeData.FEATURES.subList(0, 11));
        assertThatThrownBy(() -> registry.register(new Model("bike", "xgboost", firstHalfYear.content(), eleven, Map.of()), run.runId(), "train"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("trained on 12 features").hasMessageContaining("declares 11 inputs");
        assertThatThrownBy(() -> registry.importModel("lin", "onnx", onnxFixture(), SignatureFiles.ofFeatures(List.of("a", "b")), Map.of(), "bob"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("3 features").hasMessageContaining("declares 2 inputs");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void modelFileChangedAfterRegistrationIsRefusedOnOpen() throws Exception {
        ModelVersion v = registry.importModel("lin", "onnx", onnxFixture(), SignatureFiles.ofFeatures(List.of("a", "b", "c")), Map.of(), "bob");
        Path stored = registry.modelFile(v);
        stored.toFile().setWritable(true);
        Files.write(stored, new byte[] {9, 9, 9});
        assertThatThrownBy(() -> registry.open(v))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageContaining("version " + v.version()).hasMessageContaining(v.file().sha256())
                .hasMessageContaining(dev.flywheel.formats.ModelChecksum.of(new byte[] {9, 9, 9}))
                .hasMessageContaining("changed or corrupted after registration");
    }

    @Test
    void importedOnnxModelPredictsTheIndependentlyComputedValues() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(getClass().getResourceAsStream("/onnx/linear_regressor.expected.json"));
        ModelVersion v = registry.importModel("lin", "onnx", onnxFixture(), SignatureFiles.ofFeatures(List.of("a", "b", "c")),
                Map.of("r2", 1.0), "bob");
        assertThat(v.lineage()).isEqualTo(new Lineage.Imported(onnxFixture().toAbsolutePath().toString()));
        assertThat(v.signature().outputs()).extracting(f -> f.name()).containsExactly("prediction");
        assertThat(v.createdBy()).isEqualTo("bob");
        JsonNode inputs = expected.get("inputs");
        float[] x = new float[inputs.size() * 3];
        for (int r = 0; r < inputs.size(); r++) {
            for (int c = 0; c < 3; c++) {
                x[r * 3 + c] = (float) inputs.get(r).get(c).asDouble();
            }
        }
        try (LoadedModel model = registry.open(registry.get(ModelRef.parse("lin", "1")))) {
            var p = model.predict(new FeatureBatch(inputs.size(), 3, x));
            for (int r = 0; r < inputs.size(); r++) {
                assertThat((double) p.get(r, 0)).isCloseTo(expected.get("outputs").get(r).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void productionIsEmptyUntilAVersionIsPromoted() throws Exception {
        registry.importModel("lin", "onnx", onnxFixture(), SignatureFiles.ofFeatures(List.of("a", "b", "c")), Map.of(), "bob");
        assertThat(registry.production("lin")).isEqualTo(Optional.empty());
        assertThat(registry.promote("lin", 1, Stage.STAGING, "bob").stage()).isEqualTo(Stage.STAGING);
        assertThat(registry.promote("lin", 1, Stage.STAGING, "bob").stage()).as("same stage again changes nothing").isEqualTo(Stage.STAGING);
        assertThat(registry.history("lin")).hasSize(1);
    }

    @Test
    void anOnnxFileImportedWithoutASignatureIsRegisteredWithItsGraphsTensorsAndTheSameBytesAreThatVersion() throws Exception {
        ModelRegistry.Imported first = registry.importFile("lin", "onnx", onnxFixture(), null, null, Map.of(), "bob", false);
        assertThat(first.created()).isTrue();
        ModelSignature sig = registry.get("lin", first.version().version()).signature();
        assertThat(sig.inputTensors()).containsExactly(new TensorSpec("input", FeatureType.FP32, List.of(-1L, 3L)));
        assertThat(sig.outputTensors()).containsExactly(new TensorSpec("variable", FeatureType.FP32, List.of(-1L, 1L)));
        assertThat(sig.inputNames()).containsExactly("input_0", "input_1", "input_2");

        ModelRegistry.Imported again = registry.importFile("lin", "onnx", onnxFixture(), null, List.of("a", "b", "c"), Map.of("rmse", 1.0), "bob", false);
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(first.version().version());
        assertThat(again.version().metrics()).containsEntry("rmse", 1.0);

        ModelRegistry.Imported forced = registry.importFile("lin", "onnx", onnxFixture(), null, List.of("a", "b", "c"), Map.of(), "bob", true);
        assertThat(forced.created()).isTrue();
        assertThat(forced.version().version()).isEqualTo(first.version().version() + 1);
        assertThat(forced.version().signature().inputNames()).containsExactly("a", "b", "c");
        try (LoadedModel loaded = registry.open(forced.version())) {
            assertThat(loaded.outputWidth()).isEqualTo(1);
        }
    }

    @Test
    void aFileThatDeclaresNoInputsNeedsFeatureNames() throws Exception {
        Path xgboost = dir.resolve("m.json");
        Files.write(xgboost, firstHalfYear.content());
        assertThatThrownBy(() -> registry.importFile("bike", "xgboost", xgboost, null, null, Map.of(), "bob", false))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("--features a,b,c");
        assertThat(registry.list()).isEmpty();
    }

    static Path onnxFixture() throws Exception {
        return Path.of(ModelRegistryTest.class.getResource("/onnx/linear_regressor.onnx").toURI());
    }
}
