package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A run records the git version of the code it ran; runs list filters by branch; describe shows it. */
class RunSourceCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String git(Path repo, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t",
                "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    @Test
    void runsRecordCommitBranchAndDirtyStateAndListFiltersByBranch() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve(".gitignore"), ".flywheel/\n");
        Files.writeString(repo.resolve("README"), "v1\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "first");
        String mainCommit = git(repo, "rev-parse", "HEAD");
        Path home = repo.resolve(".flywheel");
        assertThat(CliResult.inProject(home, "init").exit()).isZero();
        assertThat(CliResult.inProject(home, "run", "hello").exit()).isZero();

        git(repo, "checkout", "-q", "-b", "feature/louder");
        Files.writeString(repo.resolve("README"), "v2, not committed\n");
        CliResult run = CliResult.inProject(home, "run", "hello", "--no-cache", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        String featureRun = JSON.readTree(run.out()).get("runId").asText();

        CliResult describe = CliResult.inProject(home, "runs", "describe", featureRun);
        assertThat(describe.out()).contains("Code:      " + mainCommit + " on feature/louder (uncommitted changes)");
        JsonNode described = JSON.readTree(CliResult.inProject(home, "runs", "describe", featureRun, "--json").out());
        assertThat(described.at("/run/source/branch").asText()).isEqualTo("feature/louder");
        assertThat(described.at("/run/source/dirty").asBoolean()).isTrue();

        JsonNode onMain = JSON.readTree(CliResult.inProject(home, "runs", "list", "--branch", "main", "--json").out());
        assertThat(onMain).hasSize(1);
        assertThat(onMain.get(0).at("/source/commit").asText()).isEqualTo(mainCommit);
        assertThat(onMain.get(0).at("/source/dirty").asBoolean()).isFalse();
        JsonNode onFeature = JSON.readTree(CliResult.inProject(home, "runs", "list", "--branch", "feature/louder", "--json").out());
        assertThat(onFeature).hasSize(1);
        assertThat(onFeature.get(0).get("id").asText()).isEqualTo(featureRun);

        CliResult table = CliResult.inProject(home, "runs", "list");
        assertThat(table.out()).contains("CODE").contains(mainCommit.substring(0, 12) + " feature/louder*")
                .contains(mainCommit.substring(0, 12) + " main");
        CliResult none = CliResult.inProject(home, "runs", "list", "--branch", "nope");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("No runs on branch 'nope'.");
    }
}
