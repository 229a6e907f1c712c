package dev.flywheel.cli.command;

import dev.flywheel.examples.demand.DemandPipelines;
import dev.flywheel.examples.demand.ExampleData;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectConfig;
import dev.flywheel.runtime.ProjectHome;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "init",
        footer = {"  flywheel init", "  flywheel init --example", "  flywheel init --path ~/projects/demand",
                "  flywheel init --metadata-url jdbc:postgresql://db:5432/ml --db-user ml",
                "  flywheel init --metadata-url jdbc:postgresql://db/ml --db-password-env PGPASS"},
        description = "Create a Flywheel project (.flywheel/) in the current folder: metadata store, artifact store, default stack. "
                + "With --metadata-url the metadata lives in a shared PostgreSQL database: every folder initialized with the same URL "
                + "sees the same project.")
public final class InitCommand implements Runnable {
    @Option(names = "--path", description = "Project folder (default: the current folder; --home names the .flywheel folder itself).")
    Path path;

    @Option(names = "--example", description = "Also write a small sample of generated data (3 monthly batches) to data/incoming/, "
            + "where the example pipelines read it: flywheel run demand_forecast works at once.")
    boolean example;

    @Option(names = "--metadata-url", paramLabel = "JDBC_URL", description = "Keep the metadata in this PostgreSQL database "
            + "(jdbc:postgresql://HOST:PORT/DATABASE, PostgreSQL 13+) instead of a SQLite file in .flywheel/.")
    String metadataUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "The database user (with --metadata-url; default: $USER).")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", description = "The environment variable that holds the database "
            + "password; .flywheel/project.properties stores {{env.VAR}}, never the password. Omit for trust, peer or ~/.pgpass.")
    String dbPasswordEnv;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Path named = ((dev.flywheel.cli.FlywheelCommand) spec.root().userObject()).home;
        ProjectHome home = path != null ? new ProjectHome(path.resolve(ProjectHome.FOLDER))
                : named != null ? new ProjectHome(named)
                : new ProjectHome(Path.of("").toAbsolutePath().resolve(ProjectHome.FOLDER));
        boolean existed = home.exists();
        PrintWriter out = spec.commandLine().getOut();
        ProjectConfig project = project();
        try (Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = home.dir();
            cfg.project = project;
        })) {
            out.println((existed ? "Reinitialized existing" : "Initialized empty") + " Flywheel project in " + home.dir());
            if (project != null) {
                out.println("Metadata: " + flywheel.metadata().description() + " (shared by every folder initialized with this URL)");
            }
        }
        if (example) {
            ExampleData.Sample sample = ExampleData.write(home.dir().getParent());
            out.printf("Sample data: %d monthly batches of generated demand in %s%s%n", sample.written().size() + sample.kept().size(),
                    sample.folder(), sample.kept().isEmpty() ? "" : " (" + sample.kept().size() + " existing kept)");
            out.println("Next: flywheel pipelines list, then flywheel run " + DemandPipelines.NAME + " (from " + home.dir().getParent() + ")");
        }
    }

    /** The metadata store the options choose; null for the embedded SQLite file. */
    private ProjectConfig project() {
        if (metadataUrl == null) {
            if (dbUser != null || dbPasswordEnv != null) {
                throw FlywheelException.invalid("--db-user and --db-password-env go with --metadata-url jdbc:postgresql://HOST:PORT/DATABASE");
            }
            return null;
        }
        return ProjectConfig.postgres(metadataUrl, dbUser, dbPasswordEnv, System.getenv());
    }
}
