package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "info",
        footer = {"  flywheel info", "  flywheel info --json"},
        description = "Show where this project lives: its folder, its metadata store (SQLite file or PostgreSQL database) "
                + "and the artifact store of the active stack (local folder or S3 bucket).")
public final class InfoCommand implements Runnable {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ProjectInfo info;
        try (Flywheel flywheel = Project.existing(spec)) {
            info = flywheel.info();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, info);
            return;
        }
        out.println("Project:        " + info.home());
        out.println("Metadata:       " + info.metadataFlavor() + "  " + info.metadata());
        out.println("Stack:          " + info.stack());
        out.println("Artifacts:      " + info.artifactFlavor() + " '" + info.artifactStore() + "'  "
                + (info.artifacts() != null ? info.artifacts() : "cannot be opened: " + info.artifactProblem()));
        out.flush();
    }
}
