package dev.flywheel.registry;

import dev.flywheel.formats.ModelFormats;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.sqlite.SqliteMetadataStore;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A version copied from one registry's stores into another's (promotion across stacks): same number, bytes checked by
 * sha256, lineage and metrics kept, idempotent, and refused when the numbers of the two registries diverged.
 */
@EveryMetadataStore
class ModelRegistryReceiveTest {
    @Parameter
    TestDatabase database;
    static Model firstHalfYear;
    static Model fullYear;

    @TempDir
    Path dir;
    MetadataStore sourceStore;
    MetadataStore targetStore;
    LocalArtifactStore sourceArtifacts;
    LocalArtifactStore targetArtifacts;
    ModelRegistry staging;
    ModelRegistry production;

    @BeforeAll
    static void train() {
        firstHalfYear = BikeData.train("bike", 6, 20);
        fullYear = BikeData.train("bike", 12, 20);
    }

    @BeforeEach
    void open() throws Exception {
        sourceStore = database.open(Files.createDirectories(dir.resolve("staging")));
        sourceArtifacts = new LocalArtifactStore(dir.resolve("staging/artifacts"));
        staging = new ModelRegistry(sourceStore, sourceArtifacts, ModelFormats.load(), Clock.systemUTC());
        targetStore = SqliteMetadataStore.open(Files.createDirectories(dir.resolve("production")).resolve("flywheel.db"),
                ModelRegistryReceiveTest.class.getClassLoader());
        targetArtifacts = new LocalArtifactStore(dir.resolve("production/artifacts"));
        production = new ModelRegistry(targetStore, targetArtifacts, ModelFormats.load(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (sourceStore != null) {
            sourceStore.close();
        }
        if (targetStore != null) {
            targetStore.close();
        }
    }

    @Test
    void aReceivedVersionKeepsItsNumberFilesLineageAndMetricsAndReceivingAgainChangesNothing() throws Exception {
        staging.register(firstHalfYear, RunFixture.record(sourceStore, sourceArtifacts, "bike_demand", BikeData.csv()).runId(), "train");
        ModelVersion v2 = staging.register(fullYear, RunFixture.record(sourceStore, sourceArtifacts, "bike_demand", BikeData.csv()).runId(), "train");

        ModelRegistry.Received r = production.receive(v2, staging, "staging");
        assertThat(r.created()).isTrue();
        ModelVersion copy = r.version();
        assertThat(copy.version()).isEqualTo(2);
        assertThat(copy.file().sha256()).isEqualTo(v2.file().sha256());
        assertThat(copy.metrics()).isEqualTo(v2.metrics());
        assertThat(copy.tags()).containsEntry("promoted_from_stack", "staging");
        assertThat(copy.stage()).isEqualTo(Stage.NONE);
        Lineage.FromRun lineage = (Lineage.FromRun) copy.lineage();
        assertThat(lineage.runId()).isEqualTo(((Lineage.FromRun) v2.lineage()).runId());
        assertThat(lineage.data()).singleElement().satisfies(d -> {
            assertThat(targetArtifacts.requireIntact(targetArtifacts.locate(d.uri()), d.sha256(), "data").intact()).isTrue();
        });
        try (var loaded = production.open(copy)) {
            assertThat(loaded).isNotNull(); // the file is in production's own store, checked on open
        }
        production.promote("bike", 2, Stage.PRODUCTION, "ci");

        assertThat(production.receive(v2, staging, "staging").created()).as("idempotent").isFalse();
        assertThat(production.versions("bike")).hasSize(1);
        // production's numbering continues after the received number, never below it
        ModelVersion own = production.register(firstHalfYear, RunFixture.record(targetStore, targetArtifacts, "bike_demand", BikeData.csv()).runId(), "train");
        assertThat(own.version()).isEqualTo(3);
    }

    @Test
    void aNumberTheTargetHoldsWithAnotherFileIsRefusedWithBothHashes() throws Exception {
        ModelVersion stagingV1 = staging.register(fullYear, RunFixture.record(sourceStore, sourceArtifacts, "p", BikeData.csv()).runId(), "train");
        ModelVersion productionV1 = production.register(firstHalfYear, RunFixture.record(targetStore, targetArtifacts, "p", BikeData.csv()).runId(), "train");
        assertThatThrownBy(() -> production.receive(stagingV1, staging, "staging"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining(stagingV1.file().sha256()).hasMessageContaining(productionV1.file().sha256());
        assertThat(production.get("bike", 1).file().sha256()).isEqualTo(productionV1.file().sha256());
    }

    @Test
    void aSourceBlobChangedOnDiskIsRefusedAsCorruptAndNothingIsRecorded() throws Exception {
        ModelVersion v1 = staging.register(fullYear, RunFixture.record(sourceStore, sourceArtifacts, "p", BikeData.csv()).runId(), "train");
        Path blob = Path.of(sourceArtifacts.locate(v1.file().uri()));
        Files.write(blob, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> production.receive(v1, staging, "staging"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT));
        assertThatThrownBy(() -> production.describe("bike")).isInstanceOf(FlywheelException.class);
    }
}
