package dev.flywheel.cli;

import dev.flywheel.examples.demand.DemandData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project that runs at once: {@code flywheel init --example} writes sample data where the example pipelines read
 * it, {@code pipelines list} says what each pipeline needs and whether it is there, {@code flywheel run
 * demand_forecast} succeeds right after, and the pipeline takes the files a folder trigger passes
 * ({@code --param files=[...]}, the trigger's default parameter). Each command runs as its own process in the project
 * folder, as a user types it.
 */
class ExampleProjectTest {
    @TempDir
    Path dir;

    @Test
    void initExampleThenRunSucceedsAndAFolderTriggersFilesDriveThePipeline() throws Exception {
        Path project = Files.createDirectories(dir.resolve("my project"));
        CliResult init = ChildCli.run(project, "init", "--example");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).contains("Initialized empty Flywheel project in " + project.resolve(".flywheel"))
                .contains("Sample data: 3 monthly batches of generated demand in " + project.resolve("data/incoming"));
        assertThat(project.resolve("data/incoming/batch-03.csv")).isRegularFile();

        CliResult pipelines = ChildCli.run(project, "pipelines", "list");
        assertThat(pipelines.exit()).as(pipelines.err()).isZero();
        assertThat(pipelines.out().lines().filter(l -> l.startsWith("demand_forecast "))).singleElement().asString()
                .contains("3 x batch-*.csv in data/incoming");
        assertThat(pipelines.out()).doesNotContain("demand_forecast needs");

        CliResult run = ChildCli.run(project, "run", "demand_forecast");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("Run [0-9a-f]{8} of demand_forecast succeeded");

        // What a folder trigger created with default options (flywheel triggers create folder demand_forecast
        // --folder data/incoming) passes when batch-04.csv arrives: --param files=[absolute paths].
        Path arrived = DemandData.writeBatch(project.resolve("data/incoming"), 3, 7);
        CliResult triggered = ChildCli.run(project, "run", "demand_forecast", "--param", "files=[\"" + arrived + "\"]", "--json");
        assertThat(triggered.exit()).as(triggered.out() + triggered.err()).isZero();
        Matcher runId = Pattern.compile("\"runId\" ?: ?\"([0-9a-f-]+)\"").matcher(triggered.out());
        assertThat(runId.find()).as(triggered.out()).isTrue();
        CliResult described = ChildCli.run(project, "runs", "describe", runId.group(1), "--logs");
        assertThat(described.out()).contains("history: ").contains("from 3 batch files in " + project.resolve("data/incoming"))
                .contains("fresh: 720 rows from batch-04.csv");
    }

    @Test
    void pipelinesListSaysWhatIsMissingAndHowToGetIt() {
        assertThat(CliResult.inProject(dir.resolve(".flywheel"), "init").exit()).isZero();
        CliResult list = CliResult.inProject(dir.resolve(".flywheel"), "pipelines", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("demand_forecast .*MISSING batch-\\*\\.csv in ")
                .contains("demand_forecast needs batch-*.csv files in " + Path.of("data/incoming").toAbsolutePath())
                .contains("flywheel init --example writes a sample");
        assertThat(list.out().lines().filter(l -> l.startsWith("hello "))).singleElement().asString().contains(" - ");
    }
}
