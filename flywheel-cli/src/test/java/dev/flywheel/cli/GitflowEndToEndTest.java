package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.examples.demand.ExampleData;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gitflow of issue 19 end to end: a temporary git repository whose workflow {@code flywheel ci init github}
 * wrote; its steps run in order by {@link WorkflowHarness} with the environment a pull request and then a push to main
 * give, against two stacks with stores of their own (staging: one SQLite file and folder; production: another). A pull
 * request whose model is worse fails its check (exit 20) and reaches nothing of production; a better one passes, and
 * its merge deploys it to production. Each report's numbers are the registry's. Build steps run a stand-in
 * {@code mvn} (the pipeline is compiled already: it is the examples' {@code demand_cd}); the comment step a stand-in
 * {@code gh} that keeps the body.
 */
@ExtendWith(NoDaemonLeft.class)
class GitflowEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUNDS_LINE = "  FLYWHEEL_RUN_ARGS: \"\"";

    @TempDir
    Path dir;

    Path home;
    Path repo;
    Path comments;
    Map<String, String> env;

    CliResult flywheel(String... args) {
        CliResult r = CliResult.inProject(home, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    JsonNode json(String... args) throws Exception {
        return JSON.readTree(flywheel(args).out());
    }

    @AfterEach
    void stopServers() {
        for (String stack : List.of("staging", "production")) {
            if (!Files.exists(home.resolve("flywheel.db"))) {
                return;
            }
            try (Flywheel f = Flywheel.create(cfg -> {
                cfg.home = home;
                cfg.stack = stack;
            })) {
                for (Service s : f.deployments().list(null, null, null, false)) {
                    f.deployments().delete(s.record().uuid(), Duration.ofSeconds(10), true);
                }
            }
        }
    }

    @Test
    void aWorsePullRequestFailsItsCheckAndABetterOneIsDeployedToProductionOnMerge() throws Exception {
        home = dir.resolve("project/.flywheel");
        repo = Files.createDirectories(dir.resolve("repo"));
        comments = Files.createDirectories(dir.resolve("comments"));
        flywheel("init");
        flywheel("metadata-store", "register", "staging-db", "--flavor", "sqlite", "-s", "path=staging/flywheel.db");
        flywheel("artifact-store", "register", "staging-artifacts", "--flavor", "local", "-s", "path=staging/artifacts");
        flywheel("stack", "register", "staging", "-a", "staging-artifacts", "--metadata-store", "staging-db");
        flywheel("metadata-store", "register", "production-db", "--flavor", "sqlite", "-s", "path=production/flywheel.db");
        flywheel("artifact-store", "register", "production-artifacts", "--flavor", "local", "-s", "path=production/artifacts");
        flywheel("stack", "register", "production", "-a", "production-artifacts", "--metadata-store", "production-db");
        env = runnerEnvironment();

        // main: the workflow, the data, a first model that goes to production with the first push
        ExampleData.write(repo);
        Files.writeString(repo.resolve(".gitignore"), "flywheel-report/\n");
        CliResult init = CliResult.inProject(home, "ci", "init", "github", "--pipeline", "demand_cd", "--dir", repo.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        setRounds(12);
        git("init", "-q", "-b", "main");
        git("add", ".");
        git("commit", "-q", "-m", "demand pipeline with its CI");
        List<WorkflowHarness.StepRun> bootstrap = push();
        assertSucceeded(bootstrap);
        assertThat(skipped(bootstrap)).contains("actions/checkout@v4", "actions/setup-java@v4");
        JsonNode first = json("--stack", "production", "models", "describe", "demand", "--stage", "production", "--json");
        int firstVersion = first.get("version").asInt();
        assertThat(first.at("/tags/promoted_from_stack").asText()).isEqualTo("staging");

        // a pull request that trains a worse model: the check fails, the comment says why, production is untouched
        git("checkout", "-q", "-b", "feature/fewer-rounds");
        setRounds(1);
        git("commit", "-q", "-am", "fewer rounds");
        String worseCommit = git("rev-parse", "HEAD");
        List<WorkflowHarness.StepRun> worse = pullRequest("feature/fewer-rounds", 7, worseCommit);
        WorkflowHarness.StepRun staging = step(worse, "Staging run and report");
        assertThat(staging.exit()).as(staging.output()).isEqualTo(20);
        assertThat(staging.output()).contains("The deployment gate rejected version");
        assertThat(step(worse, "Post the report on the pull request").exit()).isZero();
        assertThat(Files.readString(comments.resolve("pr-7.md"))).contains("REJECTED by the deployment gate")
                .contains("Nothing would be deployed").contains(worseCommit);
        JsonNode rejected = JSON.readTree(repo.resolve("flywheel-report/report.json").toFile());
        assertThat(rejected.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(rejected.at("/code/commit").asText()).isEqualTo(worseCommit);
        assertThat(rejected.at("/code/branch").asText()).isEqualTo("feature/fewer-rounds");
        assertReportMatchesTheRegistries(rejected, firstVersion);
        JsonNode productionVersions = json("--stack", "production", "models", "versions", "demand", "--json");
        assertThat(productionVersions).as("nothing of the rejected pull request reached production").hasSize(1);
        assertThat(json("--stack", "production", "runs", "list", "--json")).as("production runs nothing of pull requests").isEmpty();
        JsonNode stagingRuns = json("--stack", "staging", "runs", "list", "--branch", "feature/fewer-rounds", "--json");
        assertThat(stagingRuns).hasSize(1);
        Path rejectedReport = Files.copy(repo.resolve("flywheel-report/report.json"), dir.resolve("rejected.json"));
        CliResult refusedRelease = CliResult.inProject(home, "ci", "release", "--report", rejectedReport.toString());
        assertThat(refusedRelease.exit()).as(refusedRelease.err()).isEqualTo(20);
        assertThat(refusedRelease.err()).contains("nothing to release");

        // a pull request that trains a better model: the check passes; its merge deploys it to production
        git("checkout", "-q", "main");
        git("checkout", "-q", "-b", "feature/more-rounds");
        setRounds(60);
        git("commit", "-q", "-am", "more rounds");
        List<WorkflowHarness.StepRun> better = pullRequest("feature/more-rounds", 8, git("rev-parse", "HEAD"));
        assertSucceeded(better);
        JsonNode passed = JSON.readTree(repo.resolve("flywheel-report/report.json").toFile());
        assertThat(passed.get("outcome").asText()).isEqualTo("PASSED");
        assertReportMatchesTheRegistries(passed, firstVersion);
        int betterVersion = passed.at("/gate/candidateVersion").asInt();
        assertThat(Files.readString(comments.resolve("pr-8.md"))).contains("PASSED").contains("--to-stack production");
        assertThat(json("--stack", "production", "models", "versions", "demand", "--json")).as("not before the merge").hasSize(1);

        git("checkout", "-q", "main");
        git("merge", "-q", "--no-ff", "-m", "Merge feature/more-rounds", "feature/more-rounds");
        List<WorkflowHarness.StepRun> merged = push();
        assertSucceeded(merged);
        JsonNode production = json("--stack", "production", "models", "describe", "demand", "--stage", "production", "--json");
        assertThat(production.get("version").asInt()).isEqualTo(betterVersion);
        assertThat(production.at("/file/sha256").asText()).isEqualTo(json("--stack", "staging", "models", "describe", "demand",
                String.valueOf(betterVersion), "--json").at("/file/sha256").asText());
        CliResult again = flywheel("models", "promote", "demand", String.valueOf(betterVersion), "--from-stack", "staging", "--to-stack", "production");
        assertThat(again.out()).as("promotion is idempotent").contains("already on stack production with the same file");
        JsonNode served = json("--stack", "production", "served-models", "list", "--json");
        assertThat(served).hasSize(1);
        assertThat(served.get(0).at("/config/modelVersion").asInt()).as("the production server serves the merged model").isEqualTo(betterVersion);
        assertThat(served.get(0).get("inSync").asBoolean()).isTrue();
        assertThat(served.get(0).get("status").asText()).isEqualTo("active");
    }

    /** The report's versions and metrics are the ones each stack's registry holds. */
    private void assertReportMatchesTheRegistries(JsonNode report, int productionVersion) throws Exception {
        int candidate = report.at("/gate/candidateVersion").asInt();
        JsonNode stagingVersion = json("--stack", "staging", "models", "describe", "demand", String.valueOf(candidate), "--json");
        assertThat(report.at("/gate/candidateMetrics")).isEqualTo(stagingVersion.get("metrics"));
        assertThat(report.at("/gate/baselineVersion").asInt()).isEqualTo(productionVersion);
        JsonNode prod = json("--stack", "production", "models", "describe", "demand", String.valueOf(productionVersion), "--json");
        assertThat(report.at("/gate/baselineMetrics")).isEqualTo(prod.get("metrics"));
        JsonNode rmse = report.at("/gate/conditions/0");
        assertThat(rmse.get("name").asText()).isEqualTo("rmse");
        assertThat(rmse.get("challenger").asDouble()).isCloseTo(stagingVersion.at("/metrics/rmse").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(rmse.get("baseline").asDouble()).isCloseTo(prod.at("/metrics/rmse").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(report.at("/drift/report/columns").size()).as("drift against production's training data").isPositive();
    }

    private List<WorkflowHarness.StepRun> pullRequest(String branch, int number, String sha) throws Exception {
        return WorkflowHarness.run(repo.resolve(".github/workflows/flywheel.yml"), repo,
                WorkflowHarness.Event.pullRequest(branch, "main", number, sha), secrets(), env);
    }

    private List<WorkflowHarness.StepRun> push() throws Exception {
        return WorkflowHarness.run(repo.resolve(".github/workflows/flywheel.yml"), repo,
                WorkflowHarness.Event.push("main", git("rev-parse", "HEAD")), secrets(), env);
    }

    private static Map<String, String> secrets() {
        return Map.of("GITHUB_TOKEN", "test-token", "FLYWHEEL_DB_PASSWORD", "", "FLYWHEEL_AWS_ACCESS_KEY_ID", "",
                "FLYWHEEL_AWS_SECRET_ACCESS_KEY", "");
    }

    private static void assertSucceeded(List<WorkflowHarness.StepRun> steps) {
        assertThat(steps).isNotEmpty();
        for (WorkflowHarness.StepRun s : steps) {
            assertThat(s.exit()).as(s.job() + " / " + s.name() + "\n" + s.output()).isZero();
            if (!s.output().startsWith("platform-only")) {
                assertThat(s.skipped()).as(s.name()).isFalse();
            }
        }
    }

    private static List<String> skipped(List<WorkflowHarness.StepRun> steps) {
        return steps.stream().filter(WorkflowHarness.StepRun::skipped).map(WorkflowHarness.StepRun::name).toList();
    }

    private static WorkflowHarness.StepRun step(List<WorkflowHarness.StepRun> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no step " + name));
    }

    /** The training parameter a pull request changes, in the workflow's env. */
    private void setRounds(int rounds) throws Exception {
        Path wf = repo.resolve(".github/workflows/flywheel.yml");
        String text = Files.readString(wf).replaceAll("(?m)^  FLYWHEEL_RUN_ARGS: .*$", "  FLYWHEEL_RUN_ARGS: \"-p train_xgboost.rounds=" + rounds + "\"");
        assertThat(text).contains("train_xgboost.rounds=" + rounds);
        Files.writeString(wf, text);
    }

    /** A runner's environment: the CLI, and stand-ins for mvn and gh, first on the PATH; the project in FLYWHEEL_HOME. */
    private Map<String, String> runnerEnvironment() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        List<String> cli = ChildCli.command();
        StringBuilder launcher = new StringBuilder("#!/bin/sh\nexec");
        for (String part : cli) {
            launcher.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        launcher.append(" \"$@\"\n");
        executable(bin.resolve("flywheel"), launcher.toString());
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $* (stand-in: the pipeline is compiled already)\"\n");
        executable(bin.resolve("gh"), "#!/bin/sh\n# gh pr comment NUMBER --body-file FILE\n[ \"$1 $2\" = \"pr comment\" ] || exit 3\n"
                + "[ -n \"$GH_TOKEN\" ] || { echo 'no GH_TOKEN' >&2; exit 4; }\ncp \"$5\" '" + comments + "'/pr-$3.md\n");
        Map<String, String> e = new HashMap<>();
        e.put("PATH", bin + ":" + System.getenv("PATH"));
        e.put("HOME", System.getProperty("user.home"));
        e.put("FLYWHEEL", bin.resolve("flywheel").toString());
        e.put("FLYWHEEL_HOME", home.toString());
        e.put("TMPDIR", System.getProperty("java.io.tmpdir"));
        return e;
    }

    private static void executable(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private String git(String... args) throws Exception {
        return RunSourceCliTest.git(repo, args);
    }
}
