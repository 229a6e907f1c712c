package dev.flywheel.runtime;

import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelComparison;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.registry.StageChange;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Pipelines that return a Model register it automatically, with metrics and lineage, in the project's registry. */
class ModelRegistrationTest {
    @TempDir
    Path dir;
    Flywheel flywheel;

    @BeforeEach
    void open() {
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
    }

    @AfterEach
    void close() {
        flywheel.close();
    }

    @Test
    void trainingPipelineRegistersVersionsThatArePromotedComparedAndRolledBack() {
        RunResult first = flywheel.run(BikeSteps.pipeline(6), RunOptions.defaults(), RunListener.NONE);
        assertThat(first.status()).as(String.valueOf(first.steps())).isEqualTo(RunStatus.SUCCEEDED);
        ModelRegistry models = flywheel.models();
        ModelVersion v1 = models.get(ModelRef.parse("bike_demand", "1"));
        assertThat(v1.metrics()).containsOnlyKeys("rmse", "mae");
        assertThat(v1.createdBy()).isEqualTo("pipeline:bike_demand");
        Lineage.FromRun lineage = (Lineage.FromRun) v1.lineage();
        assertThat(lineage.runId()).isEqualTo(first.runId());
        assertThat(lineage.step()).isEqualTo("train");
        ArtifactRecord train = flywheel.artifacts().get(first.artifactId("load", "train"));
        ArtifactRecord holdout = flywheel.artifacts().get(first.artifactId("load", "holdout"));
        assertThat(lineage.data()).extracting(d -> d.name(), d -> d.sha256(), d -> d.depth())
                .containsExactlyInAnyOrder(tuple("load.train", train.sha256(), 1), tuple("load.holdout", holdout.sha256(), 1));
        assertThat(models.modelFile(v1)).hasSize(v1.file().size());

        models.promote("bike_demand", 1, Stage.PRODUCTION, "alice");

        RunResult second = flywheel.run(BikeSteps.pipeline(6), RunOptions.defaults().withParams(Map.of("load.months", "12")), RunListener.NONE);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        ModelVersion v2 = models.get(ModelRef.parse("bike_demand", "2"));
        assertThat(((Lineage.FromRun) v2.lineage()).runId()).isEqualTo(second.runId());

        ModelComparison cmp = models.compare(v2, models.production("bike_demand").orElseThrow());
        assertThat(cmp.metric("rmse").winner()).as("12 months beat 6 on the same held-out hours: %s", cmp.metrics())
                .isEqualTo(ModelComparison.Winner.A);
        models.promote("bike_demand", 2, Stage.PRODUCTION, "bob");
        assertThat(models.get("bike_demand", 1).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(models.rollback("bike_demand", "carol").version()).isEqualTo(1);
        assertThat(models.get("bike_demand", 2).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(models.history("bike_demand")).extracting(StageChange::version, StageChange::from, StageChange::to, StageChange::actor)
                .containsExactly(tuple(1, Stage.NONE, Stage.PRODUCTION, "alice"), tuple(1, Stage.PRODUCTION, Stage.ARCHIVED, "bob"),
                        tuple(2, Stage.NONE, Stage.PRODUCTION, "bob"), tuple(2, Stage.PRODUCTION, Stage.ARCHIVED, "carol"),
                        tuple(1, Stage.ARCHIVED, Stage.PRODUCTION, "carol"));

        RunResult cached = flywheel.run(BikeSteps.pipeline(6), RunOptions.defaults(), RunListener.NONE);
        assertThat(cached.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(models.versions("bike_demand")).as("a cached step registers nothing new").hasSize(2);
    }

    @Test
    void stepReturningACorruptModelFailsWithTheRegistryMessageAndRegistersNothing() {
        Pipeline broken = Pipeline.named("broken_model").step("train", BikeSteps.TrainBroken.class).build();
        RunResult result = flywheel.run(broken, RunOptions.defaults(), RunListener.NONE);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.step("train").orElseThrow().error()).contains("not a readable XGBoost model");
        assertThat(flywheel.models().list()).isEmpty();
    }

    @Test
    void stepsReachTheRegistryAsAStackComponent() {
        assertThat(flywheel.components().get(ModelRegistry.class)).isSameAs(flywheel.models());
    }
}
