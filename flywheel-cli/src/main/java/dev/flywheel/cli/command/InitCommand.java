package dev.flywheel.cli.command;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

@Command(name = "init",
        footer = {"  flywheel init", "  flywheel init --path ~/projects/demand"},
        description = "Create a Flywheel project (.flywheel/) in the current folder: metadata store, artifact store, default stack.")
public final class InitCommand implements Runnable {
    @Option(names = "--path", description = "Project folder (default: the current folder; --home names the .flywheel folder itself).")
    Path path;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Path named = ((dev.flywheel.cli.FlywheelCommand) spec.root().userObject()).home;
        ProjectHome home = path != null ? new ProjectHome(path.resolve(ProjectHome.FOLDER))
                : named != null ? new ProjectHome(named)
                : new ProjectHome(Path.of("").toAbsolutePath().resolve(ProjectHome.FOLDER));
        boolean existed = home.exists();
        home.create();
        try (Flywheel ignored = Flywheel.create(cfg -> cfg.home = home.dir())) {
            spec.commandLine().getOut().println((existed ? "Reinitialized existing" : "Initialized empty") + " Flywheel project in " + home.dir());
        }
    }
}
