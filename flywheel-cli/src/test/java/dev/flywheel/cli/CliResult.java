package dev.flywheel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the CLI as tests see it: the exit code and everything it printed. */
record CliResult(int exit, String out, String err) {

    static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(exit, out.toString(), err.toString());
    }

    /** Runs {@code args} against the project whose {@code .flywheel} folder is {@code home}. */
    static CliResult inProject(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }
}
