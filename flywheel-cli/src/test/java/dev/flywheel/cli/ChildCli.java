package dev.flywheel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a separate process, the way a user runs it: its own JVM on this test's class path, started in a chosen
 * folder (relative paths and the nearest {@code .flywheel/} are found from there), without {@code FLYWHEEL_HOME}.
 */
final class ChildCli {
    private ChildCli() {
    }

    /** The command line that runs the CLI with {@code args}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.flywheel.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the CLI in {@code folder} and waits (at most 3 minutes) for it to exit. */
    static CliResult run(Path folder, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("flywheel-cli", ".out");
        Path err = Files.createTempFile("flywheel-cli", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args)).directory(folder.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("FLYWHEEL_HOME");
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("flywheel " + String.join(" ", args) + " did not finish within 3 minutes");
            }
            return new CliResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
