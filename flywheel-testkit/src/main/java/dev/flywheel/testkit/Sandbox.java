package dev.flywheel.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process in a private mount namespace ({@code unshare --user --map-root-user --mount}), so a test can
 * give it a really full disk (a small tmpfs) or a really read-only folder (a read-only bind mount) without touching
 * the machine's own mounts, and without root. File modes alone cannot make a read-only project for root, which
 * ignores them; a read-only mount stops everyone. The mounts vanish with the child.
 */
public final class Sandbox {
    private final List<String> setup = new ArrayList<>();

    private Sandbox() {
    }

    /** True when this machine lets an unprivileged process create user and mount namespaces. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static Sandbox create() {
        return new Sandbox();
    }

    /** Mounts an empty tmpfs of {@code kib} KiB at {@code dir} (which must exist). */
    public Sandbox tmpfs(Path dir, int kib) {
        setup.add("mount -t tmpfs -o size=" + kib + "k tmpfs " + quote(dir));
        return this;
    }

    /** Makes {@code dir} (and everything under it) read-only for the child, root included. */
    public Sandbox readOnly(Path dir) {
        setup.add("mount --bind " + quote(dir) + " " + quote(dir));
        setup.add("mount -o remount,bind,ro " + quote(dir));
        return this;
    }

    /** Runs a shell command after the mounts (copy files in, fill the disk, ...). */
    public Sandbox then(String shell) {
        setup.add(shell);
        return this;
    }

    /** What the child printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Sets up the mounts and runs {@code command} inside them.
     *
     * @throws AssertionError when the child does not end within {@code timeout} (it is killed)
     */
    public Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        String script = "set -e\n" + String.join("\n", setup) + "\nexec \"$@\"\n";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sandbox"));
        cmd.addAll(command);
        Path out = Files.createTempFile("flywheel-sandbox", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("Sandboxed command did not end within " + timeout + ": " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String quote(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }
}
