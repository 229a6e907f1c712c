package dev.flywheel.runtime;

import dev.flywheel.sdk.SourceVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The code version of a run, read from a real git work tree by the real git binary. */
class GitSourceTest {
    @TempDir
    Path dir;

    static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    private Path repoWithOneCommit() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("Pipeline.java"), "class Pipeline {}\n");
        Files.writeString(repo.resolve(".gitignore"), ".flywheel/\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "first");
        return repo;
    }

    @Test
    void cleanWorkTreeGivesCommitBranchAndNotDirty() throws Exception {
        Path repo = repoWithOneCommit();
        Files.createDirectories(repo.resolve(".flywheel"));
        Files.writeString(repo.resolve("untracked.txt"), "not part of the code");
        SourceVersion v = new GitSource("git", Map.of()).find(List.of(repo.resolve("src-does-not-exist"), repo));
        assertThat(v.commit()).isEqualTo(git(repo, "rev-parse", "HEAD"));
        assertThat(v.branch()).isEqualTo("main");
        assertThat(v.dirty()).as("untracked files do not make the code dirty").isFalse();
    }

    @Test
    void changedTrackedFileOrStagedFileMakesItDirty() throws Exception {
        Path repo = repoWithOneCommit();
        Files.writeString(repo.resolve("Pipeline.java"), "class Pipeline { int changed; }\n");
        assertThat(new GitSource("git", Map.of()).find(List.of(repo)).dirty()).isTrue();
        git(repo, "checkout", "-q", "--", "Pipeline.java");
        Files.writeString(repo.resolve("New.java"), "class New {}\n");
        git(repo, "add", "New.java");
        assertThat(new GitSource("git", Map.of()).find(List.of(repo)).dirty()).isTrue();
    }

    @Test
    void subfolderOfAWorkTreeAndOtherBranchesAreFound() throws Exception {
        Path repo = repoWithOneCommit();
        git(repo, "checkout", "-q", "-b", "feature/better-model");
        Path classes = Files.createDirectories(repo.resolve("target/classes"));
        SourceVersion v = new GitSource("git", Map.of()).find(List.of(classes));
        assertThat(v.branch()).isEqualTo("feature/better-model");
        assertThat(v.known()).isTrue();
    }

    @Test
    void detachedCheckoutTakesTheBranchFromTheCiVariables() throws Exception {
        Path repo = repoWithOneCommit();
        git(repo, "checkout", "-q", "--detach");
        assertThat(new GitSource("git", Map.of()).find(List.of(repo)).branch()).isNull();
        assertThat(new GitSource("git", Map.of("GITHUB_HEAD_REF", "feature/x", "GITHUB_REF_NAME", "12/merge"))
                .find(List.of(repo)).branch()).isEqualTo("feature/x");
        assertThat(new GitSource("git", Map.of("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "mr-branch")).find(List.of(repo)).branch())
                .isEqualTo("mr-branch");
        assertThat(new GitSource("git", Map.of("CI_COMMIT_BRANCH", "main")).find(List.of(repo)).branch()).isEqualTo("main");
    }

    @Test
    void noWorkTreeNoGitOrARepositoryWithoutCommitsIsUnknownNeverAnError() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        assertThat(new GitSource("git", Map.of()).find(List.of(plain))).isEqualTo(SourceVersion.UNKNOWN);
        Path repo = repoWithOneCommit();
        assertThat(new GitSource(dir.resolve("no-such-git").toString(), Map.of()).find(List.of(repo))).isEqualTo(SourceVersion.UNKNOWN);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        git(empty, "init", "-q");
        assertThat(new GitSource("git", Map.of()).find(List.of(empty)).known()).isFalse();
        assertThat(new GitSource("git", Map.of()).find(List.of(dir.resolve("missing")))).isEqualTo(SourceVersion.UNKNOWN);
    }

    @Test
    void aGitThatHangsIsGivenUpAfterTheTimeout() throws Exception {
        Path repo = repoWithOneCommit();
        Path slowGit = dir.resolve("slow-git");
        Files.writeString(slowGit, "#!/bin/sh\nexec sleep 30\n");
        slowGit.toFile().setExecutable(true);
        long start = System.nanoTime();
        assertThat(new GitSource(slowGit.toString(), Map.of()).find(List.of(repo))).isEqualTo(SourceVersion.UNKNOWN);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(GitSource.TIMEOUT.toMillis() + 3000);
    }
}
