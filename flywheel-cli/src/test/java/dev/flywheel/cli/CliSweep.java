package dev.flywheel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several CLI commands in one JVM, for tests whose commands must run inside a sandbox (a full disk, a read-only
 * mount) where starting one JVM per command would cost seconds each. Arguments: the project's {@code .flywheel}
 * folder ({@code -} for none: found as the CLI finds it), the results file, then one command per argument (words separated by spaces). Each result is one line:
 * exit code, milliseconds, first line of stderr, first line of stdout, separated by tabs.
 */
public final class CliSweep {
    private CliSweep() {
    }

    public static void main(String[] args) throws IOException {
        Path home = args[0].equals("-") ? null : Path.of(args[0]);
        Path results = Path.of(args[1]);
        List<String> lines = new ArrayList<>();
        for (String command : Arrays.asList(args).subList(2, args.length)) {
            long t0 = System.nanoTime();
            CliResult r = home == null ? CliResult.run(command.split(" ")) : CliResult.inProject(home, command.split(" "));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            lines.add(r.exit() + "\t" + ms + "\t" + firstLine(r.err()) + "\t" + firstLine(r.out()));
        }
        Files.write(results, lines);
    }

    static String firstLine(String text) {
        return text.lines().findFirst().orElse("").replace('\t', ' ');
    }

    /** One parsed line of the results file. */
    record Outcome(String command, int exit, long millis, String firstError, String firstOutput) {
        static List<Outcome> read(Path results, List<String> commands) throws IOException {
            List<String> lines = Files.readAllLines(results);
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t", -1);
                out.add(new Outcome(commands.get(i), Integer.parseInt(f[0]), Long.parseLong(f[1]), f[2], f[3]));
            }
            return out;
        }
    }
}
