package dev.flywheel.cli.command;

import dev.flywheel.examples.demand.DemandPipelines;
import dev.flywheel.examples.demand.ExampleData;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "init",
        footer = {"  flywheel init", "  flywheel init --example", "  flywheel init --path ~/projects/demand"},
        description = "Create a Flywheel project (.flywheel/) in the current folder: metadata store, artifact store, default stack.")
public final class InitCommand implements Runnable {
    @Option(names = "--path", description = "Project folder (default: the current folder; --home names the .flywheel folder itself).")
    Path path;

    @Option(names = "--example", description = "Also write a small sample of generated data (3 monthly batches) to data/incoming/, "
            + "where the example pipelines read it: flywheel run demand_forecast works at once.")
    boolean example;

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
        PrintWriter out = spec.commandLine().getOut();
        try (Flywheel ignored = Flywheel.create(cfg -> cfg.home = home.dir())) {
            out.println((existed ? "Reinitialized existing" : "Initialized empty") + " Flywheel project in " + home.dir());
        }
        if (example) {
            ExampleData.Sample sample = ExampleData.write(home.dir().getParent());
            out.printf("Sample data: %d monthly batches of generated demand in %s%s%n", sample.written().size() + sample.kept().size(),
                    sample.folder(), sample.kept().isEmpty() ? "" : " (" + sample.kept().size() + " existing kept)");
            out.println("Next: flywheel pipelines list, then flywheel run " + DemandPipelines.NAME + " (from " + home.dir().getParent() + ")");
        }
    }
}
