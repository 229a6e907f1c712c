package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A stack with a metadata store and an artifact store of its own keeps its runs apart from the project's. */
class StackStoresCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @Test
    void aStackWithItsOwnStoresKeepsItsRunsThereAndTheProjectNeverSeesThem() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        CliResult db = flywheel("metadata-store", "register", "staging-db", "--flavor", "sqlite", "-s", "path=staging/flywheel.db");
        assertThat(db.exit()).as(db.err()).isZero();
        assertThat(db.out()).contains("--metadata-store staging-db");
        assertThat(flywheel("artifact-store", "register", "staging-artifacts", "--flavor", "local", "-s", "path=staging/artifacts").exit()).isZero();
        CliResult stack = flywheel("stack", "register", "staging", "-a", "staging-artifacts", "--metadata-store", "staging-db");
        assertThat(stack.exit()).as(stack.err()).isZero();

        CliResult run = flywheel("run", "hello", "--stack", "staging");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(dir.resolve(".flywheel/staging/flywheel.db")).isRegularFile();
        assertThat(Files.list(dir.resolve(".flywheel/staging/artifacts/blobs")).count()).isPositive();

        JsonNode projectRuns = JSON.readTree(flywheel("runs", "list", "--json").out());
        assertThat(projectRuns).as("the default stack reads the project's store").isEmpty();
        JsonNode stagingRuns = JSON.readTree(flywheel("--stack", "staging", "runs", "list", "--json").out());
        assertThat(stagingRuns).hasSize(1);
        JsonNode artifacts = JSON.readTree(flywheel("--stack", "staging", "artifacts", "list", "--json").out());
        assertThat(artifacts).hasSize(2);

        CliResult describe = flywheel("stack", "describe", "staging");
        assertThat(describe.out()).contains("staging-db").contains("staging-artifacts");

        CliResult unknown = flywheel("--stack", "nope", "runs", "list");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("No stack named 'nope'");
        CliResult missingDb = flywheel("stack", "register", "broken", "--metadata-store", "no-such-db");
        assertThat(missingDb.exit()).isEqualTo(3);
        assertThat(missingDb.err()).contains("flywheel metadata-store register no-such-db");
    }
}
