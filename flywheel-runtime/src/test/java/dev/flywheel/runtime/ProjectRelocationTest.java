package dev.flywheel.runtime;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.store.metadata.ArtifactRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model and artifact locations are stored relative to the artifact store and resolved when read: a moved project
 * keeps every model and artifact, a copied project reads its own blobs, and a database written with absolute
 * locations (before V2/V11) is migrated.
 */
class ProjectRelocationTest {
    @TempDir
    Path dir;

    public static final class MakeData {
        @Step(output = "x")
        public double[] make() {
            double[] x = new double[200];
            for (int i = 0; i < x.length; i++) {
                x[i] = i / 10.0;
            }
            return x;
        }
    }

    public static final class Train {
        @Step(output = "model")
        public Model train(@Input("x") double[] x) {
            float[] features = new float[x.length];
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                features[i] = (float) x[i];
                y[i] = (float) (3 * x[i] + 1);
            }
            return XgboostTrainer.regression(Map.of("max_depth", 3, "eta", 0.5, "nthread", 1, "seed", 1), 10)
                    .fit(new FeatureBatch(x.length, 1, features), y, ModelSignature.regression(List.of("x")), "line");
        }
    }

    private static Pipeline training() {
        return Pipeline.named("line").step("data", MakeData.class).step("train", Train.class).build();
    }

    private static Flywheel open(Path project) {
        return Flywheel.create(cfg -> cfg.home = project.resolve(".flywheel"));
    }

    private static RunResult run(Flywheel flywheel) {
        return flywheel.run(training(), RunOptions.defaults(), RunListener.NONE);
    }

    /** Everything the project recorded is readable through this handle, and lives under {@code project}. */
    private static void assertEverythingReadableUnder(Flywheel flywheel, Path project, RunResult run) throws Exception {
        for (ArtifactRecord a : flywheel.artifacts().list(run.runId(), 100)) {
            assertThat(flywheel.artifacts().load(a.id()).value()).as(a.outputName()).isNotNull();
            assertThat(Path.of(flywheel.artifacts().describe(a.id()).location())).startsWith(project);
        }
        ModelVersion v = flywheel.models().get(ModelRef.parse("line", "1"));
        assertThat(flywheel.models().modelFile(v)).startsWith(project);
        assertThat(Path.of(flywheel.models().locate(v.provenance()))).startsWith(project);
        assertThat(flywheel.models().provenance(v)).contains("\"model\"");
        try (LoadedModel model = flywheel.models().open(v)) {
            assertThat(model.predict(new FeatureBatch(1, 1, new float[] {5})).get(0, 0)).isBetween(10f, 22f);
        }
    }

    @Test
    void aMovedProjectKeepsEveryModelAndArtifact() throws Exception {
        Path project = dir.resolve("a");
        RunResult first;
        try (Flywheel flywheel = open(project)) {
            first = run(flywheel);
            assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
            ModelVersion v = flywheel.models().get(ModelRef.parse("line", "1"));
            assertThat(v.file().uri().isAbsolute()).as("recorded model location %s", v.file().uri()).isFalse();
            assertThat(v.provenance().uri().isAbsolute()).isFalse();
            assertThat(((dev.flywheel.registry.Lineage.FromRun) v.lineage()).data()).allSatisfy(d -> assertThat(d.uri().isAbsolute()).isFalse());
        }
        Path moved = dir.resolve("b");
        Files.move(project, moved);
        try (Flywheel flywheel = open(moved)) {
            assertEverythingReadableUnder(flywheel, moved, first);
            RunResult again = run(flywheel);
            assertThat(again.steps()).extracting(s -> s.status()).containsOnly(StepStatus.CACHED);
        }
    }

    @Test
    void aCopiedProjectReadsItsOwnBlobsNotTheOriginals() throws Exception {
        Path original = dir.resolve("original");
        RunResult first;
        try (Flywheel flywheel = open(original)) {
            first = run(flywheel);
        }
        Path copy = dir.resolve("copy");
        copyTree(original, copy);
        deleteTree(original); // whatever the copy reads must be its own
        try (Flywheel flywheel = open(copy)) {
            assertEverythingReadableUnder(flywheel, copy, first);
        }
    }

    @Test
    void aDatabaseWithAbsoluteLocationsIsMigratedAndWorksAfterTheProjectMoved() throws Exception {
        Path project = dir.resolve("old");
        RunResult first;
        try (Flywheel flywheel = open(project)) {
            first = run(flywheel);
        }
        Path root = project.resolve(".flywheel").resolve("artifacts").toAbsolutePath();
        Path db = project.resolve(".flywheel").resolve("flywheel.db");
        // Turn the database into one the previous release wrote: absolute file: URIs, and V2/V11 not yet applied.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            String absolute = "'" + root.toUri() + "blobs/' || substr(%1$s, 1, 2) || '/' || %1$s";
            s.executeUpdate("UPDATE artifacts SET uri = " + absolute.formatted("sha256"));
            s.executeUpdate("UPDATE model_versions SET model_uri = " + absolute.formatted("model_sha256")
                    + ", provenance_uri = " + absolute.formatted("provenance_sha256"));
            s.executeUpdate("UPDATE model_version_data SET uri = " + absolute.formatted("sha256"));
            assertThat(s.executeUpdate("DELETE FROM flyway_schema_history WHERE version IN ('2', '11')")).isEqualTo(2);
            assertThat(column(s, "SELECT uri FROM artifacts")).allSatisfy(u -> assertThat(u).startsWith("file:/"));
        }
        Path moved = dir.resolve("new");
        Files.move(project, moved);

        try (Flywheel flywheel = open(moved)) {
            assertEverythingReadableUnder(flywheel, moved, first);
            assertThat(run(flywheel).steps()).extracting(s -> s.status()).containsOnly(StepStatus.CACHED);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + moved.resolve(".flywheel/flywheel.db"));
             Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT version FROM flyway_schema_history WHERE success = 1")).contains("2", "11");
            List<String> locations = new ArrayList<>(column(s, "SELECT uri FROM artifacts"));
            locations.addAll(column(s, "SELECT model_uri FROM model_versions"));
            locations.addAll(column(s, "SELECT provenance_uri FROM model_versions"));
            locations.addAll(column(s, "SELECT uri FROM model_version_data"));
            assertThat(locations).isNotEmpty().allSatisfy(u -> assertThat(u).matches("blobs/[0-9a-f]{2}/[0-9a-f]{64}"));
        }
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
