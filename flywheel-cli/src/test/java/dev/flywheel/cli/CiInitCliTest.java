package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.runtime.CiInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flywheel ci init}: the files are the reviewed golden files, valid YAML with the platform's structure, a
 * shell script {@code sh -n} accepts, secrets named and never inlined; existing files are kept unless --force.
 */
class CiInitCliTest {
    private static final CiInit.Settings DEFAULTS = new CiInit.Settings("demand_cd", "staging", "production", "main");

    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    static String golden(String name) throws Exception {
        try (InputStream in = CiInitCliTest.class.getResourceAsStream("/golden/ci/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(CiInit.Platform.class)
    void generatedFilesAreTheGoldenFiles(CiInit.Platform platform) throws Exception {
        Map<String, String> files = CiInit.render(platform, DEFAULTS);
        assertThat(files.get(platform.file())).isEqualTo(golden(platform.name().toLowerCase() + ".yml"));
        assertThat(files.get(CiInit.SCRIPT)).isEqualTo(golden("flywheel-ci.sh"));
    }

    @Test
    void githubWorkflowHasThePullRequestAndPushJobsWithNamedSecretsOnly() throws Exception {
        String text = CiInit.render(CiInit.Platform.GITHUB, DEFAULTS).get(".github/workflows/flywheel.yml");
        JsonNode wf = WorkflowHarness.YAML.readTree(text);
        assertThat(wf.get("name").asText()).isEqualTo("flywheel");
        assertThat(wf.at("/on/pull_request/branches/0").asText()).isEqualTo("main");
        assertThat(wf.at("/on/push/branches/0").asText()).isEqualTo("main");
        assertThat(wf.at("/permissions/pull-requests").asText()).isEqualTo("write");
        for (String job : List.of("staging", "production")) {
            JsonNode j = wf.at("/jobs/" + job);
            assertThat(j.get("runs-on").asText()).isEqualTo("ubuntu-latest");
            assertThat(j.get("steps").isArray()).isTrue();
            for (JsonNode step : j.get("steps")) {
                assertThat(step.has("uses") ^ step.has("run")).as("a step either uses an action or runs a command: " + step).isTrue();
            }
        }
        assertThat(wf.at("/jobs/staging/if").asText()).isEqualTo("github.event_name == 'pull_request'");
        assertThat(wf.at("/jobs/production/if").asText()).isEqualTo("github.event_name == 'push'");
        List<String> stagingRuns = runs(wf.at("/jobs/staging/steps"));
        assertThat(stagingRuns).anyMatch(r -> r.contains("mvn -B verify")).anyMatch(r -> r.contains("ci/flywheel-ci.sh pull-request"))
                .anyMatch(r -> r.contains("gh pr comment"));
        assertThat(runs(wf.at("/jobs/production/steps"))).anyMatch(r -> r.contains("ci/flywheel-ci.sh main"));
        assertThat(wf.at("/jobs/staging/steps").findValuesAsText("GH_TOKEN")).containsExactly("${{ secrets.GITHUB_TOKEN }}");
        assertThat(wf.at("/env/FLYWHEEL_DB_PASSWORD").asText()).isEqualTo("${{ secrets.FLYWHEEL_DB_PASSWORD }}");
        wf.get("env").fields().forEachRemaining(e -> {
            if (e.getKey().contains("PASSWORD") || e.getKey().contains("SECRET") || e.getKey().contains("KEY_ID")) {
                assertThat(e.getValue().asText()).as(e.getKey()).startsWith("${{ secrets.");
            }
        });
    }

    @Test
    void gitlabPipelineHasMergeRequestAndDefaultBranchJobs() throws Exception {
        JsonNode ci = WorkflowHarness.YAML.readTree(CiInit.render(CiInit.Platform.GITLAB, DEFAULTS).get(".gitlab-ci.yml"));
        assertThat(ci.get("stages")).extracting(JsonNode::asText).containsExactly("test", "staging", "production");
        assertThat(ci.at("/staging/rules/0/if").asText()).isEqualTo("$CI_PIPELINE_SOURCE == \"merge_request_event\"");
        assertThat(ci.at("/staging/script/0").asText()).isEqualTo("sh ci/flywheel-ci.sh pull-request");
        assertThat(ci.at("/staging/after_script/0").asText()).contains("$FLYWHEEL_GITLAB_TOKEN").contains("merge_requests/$CI_MERGE_REQUEST_IID/notes");
        assertThat(ci.at("/production/rules/0/if").asText()).isEqualTo("$CI_COMMIT_BRANCH == \"main\"");
        assertThat(ci.at("/production/script/0").asText()).isEqualTo("sh ci/flywheel-ci.sh main");
        assertThat(ci.at("/build/script/0").asText()).isEqualTo("mvn -B verify");
        for (String job : List.of("build", "staging", "production")) {
            assertThat(ci.at("/" + job + "/stage").asText()).isIn("test", "staging", "production");
        }
    }

    @Test
    void theEntryPointIsValidShellAndRefusesAnUnknownEvent() throws Exception {
        Path script = dir.resolve("flywheel-ci.sh");
        Files.writeString(script, CiInit.render(CiInit.Platform.GITHUB, DEFAULTS).get(CiInit.SCRIPT));
        assertThat(sh("-n", script.toString())).isZero();
        assertThat(sh(script.toString(), "tag")).isEqualTo(2);
    }

    @Test
    void initWritesTheFilesKeepsThemWhenUnchangedAndReplacesOthersOnlyWithForce() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        CliResult first = flywheel("ci", "init", "github", "--pipeline", "demand_cd", "--dir", repo.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("wrote     .github/workflows/flywheel.yml").contains("wrote     ci/flywheel-ci.sh");
        assertThat(Files.isExecutable(repo.resolve("ci/flywheel-ci.sh"))).isTrue();
        assertThat(dir.resolve(".flywheel")).as("needs no project").doesNotExist();

        CliResult again = flywheel("ci", "init", "github", "--pipeline", "demand_cd", "--dir", repo.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("unchanged .github/workflows/flywheel.yml");

        Files.writeString(repo.resolve(".github/workflows/flywheel.yml"), "# my own\n");
        CliResult refused = flywheel("ci", "init", "github", "--pipeline", "demand_cd", "--dir", repo.toString());
        assertThat(refused.exit()).isEqualTo(4);
        assertThat(refused.err()).contains(".github/workflows/flywheel.yml exists with other content").contains("--force");
        assertThat(Files.readString(repo.resolve(".github/workflows/flywheel.yml"))).isEqualTo("# my own\n");
        CliResult forced = flywheel("ci", "init", "github", "--pipeline", "demand_cd", "--dir", repo.toString(), "--force");
        assertThat(forced.exit()).isZero();
        assertThat(Files.readString(repo.resolve(".github/workflows/flywheel.yml"))).isEqualTo(golden("github.yml"));

        CliResult gitlab = flywheel("ci", "init", "gitlab", "--pipeline", "demand_cd", "--dir", repo.toString(), "--json");
        assertThat(gitlab.exit()).isZero();
        assertThat(WorkflowHarness.YAML.readTree(gitlab.out()).get("written")).extracting(JsonNode::asText).containsExactly(".gitlab-ci.yml");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        List<List<String>> bad = List.of(
                List.of("ci", "init", "jenkins", "--pipeline", "p"),
                List.of("ci", "init", "github", "--pipeline", "bad name; rm -rf /"),
                List.of("ci", "init", "github", "--pipeline", "p", "--staging-stack", "prod", "--production-stack", "prod"),
                List.of("ci", "init", "github", "--pipeline", "p", "--branch", "-main"));
        List<String> messages = new ArrayList<>();
        for (List<String> args : bad) {
            List<String> withDir = new ArrayList<>(args);
            withDir.addAll(List.of("--dir", repo.toString()));
            CliResult r = flywheel(withDir.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            messages.add(r.err().lines().findFirst().orElse(""));
        }
        assertThat(messages.get(0)).contains("Unknown CI platform 'jenkins'").contains("github or gitlab");
        assertThat(messages.get(1)).contains("--pipeline must be");
        assertThat(messages.get(2)).contains("pull requests must run on a stack apart from production");
        try (var files = Files.list(repo)) {
            assertThat(files).isEmpty();
        }
        assertThat(flywheel("ci", "init", "github", "--pipeline", "p", "--dir", dir.resolve("nope").toString()).exit()).isEqualTo(3);
    }

    private static List<String> runs(JsonNode steps) {
        List<String> out = new ArrayList<>();
        steps.forEach(s -> out.add(s.path("run").asText("")));
        return out;
    }

    private static int sh(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
