package dev.flywheel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the common short commands once in one JVM against a throw-away project, so the launcher can record the
 * classes they load into a class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}). Later commands map
 * those classes instead of loading them: this is most of what makes {@code flywheel runs list} start fast.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("flywheel-cds");
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        try {
            String home = dir.resolve(".flywheel").toString();
            String[][] commands = {
                    {"--home", home, "init"},
                    {"--home", home, "runs", "list"},
                    {"--home", home, "runs", "list", "--json"},
                    {"--home", home, "runs", "describe", "0"},
                    {"--home", home, "artifacts", "list"},
                    {"--home", home, "pipelines", "list"},
                    {"--home", home, "served-models", "list"},
                    {"--help"},
            };
            for (String[] c : commands) {
                Main.run(c, sink, sink);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
