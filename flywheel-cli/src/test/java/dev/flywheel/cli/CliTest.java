package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process against a real store in a temporary folder: output, JSON, and exit codes. */
class CliTest {
    @TempDir
    Path dir;


    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @Test
    void runThenListAndDescribeRunsAndArtifacts() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        CliResult run = flywheel("run", "hello", "--param", "greet.times=2");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("Run [0-9a-f]{8} of hello succeeded in .* \\(2 steps, 0 cached\\)");
        assertThat(run.err()).contains("done    greet").contains("done    shout");

        CliResult again = flywheel("run", "hello", "--param", "greet.times=2");
        assertThat(again.out()).contains("(2 steps, 2 cached)");

        CliResult list = flywheel("runs", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3);
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("RUN").contains("PIPELINE").contains("STATUS");

        JsonNode runs = new ObjectMapper().readTree(flywheel("runs", "list", "--json").out());
        assertThat(runs).hasSize(2);
        String id = runs.get(0).get("id").asText();

        CliResult describe = flywheel("runs", "describe", id.substring(0, 6), "--logs");
        assertThat(describe.exit()).as(describe.err()).isZero();
        assertThat(describe.out()).contains("Pipeline:  hello").contains("CACHED").contains("greeting=").contains("Params:    {\"greet.times\":\"2\"}");

        JsonNode artifacts = new ObjectMapper().readTree(flywheel("artifacts", "list", "--json").out());
        assertThat(artifacts).hasSize(2);
        String greeting = artifacts.findParents("outputName").stream().filter(a -> a.get("outputName").asText().equals("greeting"))
                .findFirst().orElseThrow().get("id").asText();
        CliResult artifact = flywheel("artifacts", "describe", greeting);
        assertThat(artifact.out()).contains("Type:         java.lang.String").contains("consumed").doesNotContain("MISSING")
                .contains("produced");

        CliResult pipelines = flywheel("pipelines", "list");
        assertThat(pipelines.out()).contains("hello").contains("greets and shouts").contains("broken");
    }

    @Test
    void failingRunExitsWithRunFailedAndSaysWhereToLook() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult r = flywheel("run", "broken");
        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.out()).contains("FAILED").contains("cannot handle 'hello x'").contains("flywheel runs describe");
        assertThat(r.err()).contains("FAILED  fail").contains("error: run ");
    }

    @Test
    void userErrorsGetAClearMessageAndTheirExitCodeWithoutStackTrace() {
        CliResult notInitialized = flywheel("runs", "list");
        assertThat(notInitialized.exit()).isEqualTo(9);
        assertThat(notInitialized.err()).contains("init").doesNotContain("\tat ");
        assertThat(flywheel("run", "hello").exit()).as("only init creates a project").isEqualTo(9);

        assertThat(flywheel("init").out()).contains("Initialized empty Flywheel project in");
        assertThat(flywheel("init").out()).contains("Reinitialized existing Flywheel project");

        CliResult unknownRun = flywheel("runs", "describe", "abcdef12");
        assertThat(unknownRun.exit()).isEqualTo(3);
        assertThat(unknownRun.err()).contains("No run with id 'abcdef12'");

        CliResult unknownPipeline = flywheel("run", "nope");
        assertThat(unknownPipeline.exit()).isEqualTo(3);
        assertThat(unknownPipeline.err()).contains("No pipeline named 'nope'").contains("hello");

        CliResult badParam = flywheel("run", "hello", "--param", "greet.times=often");
        assertThat(badParam.exit()).isEqualTo(2);
        assertThat(badParam.err()).contains("'greet.times=often' is not a number");

        CliResult badClasspath = flywheel("run", "hello", "--classpath", dir.resolve("missing.jar").toString());
        assertThat(badClasspath.exit()).isEqualTo(2);
        assertThat(badClasspath.err()).contains("Classpath entry").contains("does not exist");

        CliResult badOption = flywheel("runs", "list", "--limit", "zero");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err()).contains("--limit");
        assertThat(badOption.err()).doesNotContain("\tat ");
    }
}
