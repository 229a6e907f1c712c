package dev.flywheel.runtime;

import dev.flywheel.sdk.SourceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the git commit, branch and dirty state of the code a run runs, with the {@code git} binary (one
 * {@code git status --porcelain=v2 --branch} per run). Where it looks, first match wins: the folders of the pipeline's
 * class path (the code that runs), the project's folder, the working directory. Never fails: no git, no work tree, a
 * timeout or an unreadable answer give {@link SourceVersion#UNKNOWN}.
 *
 * <p>A detached checkout (what CI systems check out for a pull request) has no branch of its own; the branch is then
 * taken from the CI's variables: GitHub's {@code GITHUB_HEAD_REF} (pull requests) or {@code GITHUB_REF_NAME}
 * (pushes), GitLab's {@code CI_MERGE_REQUEST_SOURCE_BRANCH_NAME} or {@code CI_COMMIT_BRANCH}, or
 * {@code FLYWHEEL_GIT_BRANCH} from any other system.
 */
final class GitSource {
    private static final Logger LOG = LoggerFactory.getLogger(GitSource.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** CI variables naming the branch of a detached checkout, in the order they are trusted. */
    static final List<String> BRANCH_VARIABLES = List.of("FLYWHEEL_GIT_BRANCH", "GITHUB_HEAD_REF",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH", "GITHUB_REF_NAME");

    private final String git;
    private final Map<String, String> env;

    GitSource(String git, Map<String, String> env) {
        this.git = git;
        this.env = Map.copyOf(env);
    }

    static GitSource fromEnvironment(Map<String, String> env) {
        return new GitSource(env.getOrDefault("FLYWHEEL_GIT", "git"), env);
    }

    /** Where to look for a run of a pipeline loaded by {@code loader} in the project at {@code projectFolder}. */
    static List<Path> candidates(ClassLoader loader, Path projectFolder) {
        Set<Path> out = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    folderOf(url).ifPresent(out::add);
                }
            }
        }
        if (projectFolder != null && projectFolder.toAbsolutePath().getParent() != null) {
            out.add(projectFolder.toAbsolutePath().getParent());
        }
        out.add(Path.of("").toAbsolutePath());
        return new ArrayList<>(out);
    }

    private static java.util.Optional<Path> folderOf(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return java.util.Optional.empty();
        }
        try {
            Path p = Path.of(url.toURI());
            Path folder = Files.isDirectory(p) ? p : p.getParent();
            return java.util.Optional.ofNullable(folder);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** The version of the first candidate folder inside a git work tree; unknown when none is. */
    SourceVersion find(List<Path> folders) {
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            SourceVersion v = status(folder);
            if (v.known()) {
                return v;
            }
        }
        return new SourceVersion(null, ciBranch(), null);
    }

    private SourceVersion status(Path folder) {
        List<String> command = List.of(git, "-C", folder.toString(), "status", "--porcelain=v2", "--branch", "--untracked-files=no");
        Path out = null;
        Process p = null;
        try {
            // Output to a file, not a pipe: a git that hangs must not hold this thread past the timeout on a read.
            out = Files.createTempFile("flywheel-git", ".txt");
            p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("git status in {} took longer than {}; the run's code version is recorded as unknown", folder, TIMEOUT);
                return SourceVersion.UNKNOWN;
            }
            if (p.exitValue() != 0) {
                return SourceVersion.UNKNOWN; // not a work tree, or git refused (a repository owned by another user)
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(out)) {
                bytes = in.readNBytes(1 << 20); // the head lines come first; a huge dirty tree is only read so far
            }
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("git not available: {}", e.toString());
            return SourceVersion.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SourceVersion.UNKNOWN;
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left in the temp folder is harmless
                }
            }
        }
    }

    /** Reads {@code git status --porcelain=v2 --branch}: {@code # branch.oid}, {@code # branch.head}, then changes. */
    SourceVersion parse(String porcelain) {
        String commit = null;
        String branch = null;
        boolean dirty = false;
        for (String line : porcelain.split("\n")) {
            if (line.startsWith("# branch.oid ")) {
                String oid = line.substring("# branch.oid ".length()).strip();
                commit = oid.matches("[0-9a-f]{40}|[0-9a-f]{64}") ? oid : null; // "(initial)": no commit yet
            } else if (line.startsWith("# branch.head ")) {
                String head = line.substring("# branch.head ".length()).strip();
                branch = "(detached)".equals(head) ? null : head;
            } else if (!line.isBlank() && !line.startsWith("#")) {
                dirty = true;
            }
        }
        if (commit == null) {
            return SourceVersion.UNKNOWN;
        }
        return new SourceVersion(commit, branch != null ? branch : ciBranch(), dirty);
    }

    private String ciBranch() {
        for (String variable : BRANCH_VARIABLES) {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
