package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.NewProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "new",
        footer = {"  flywheel new demand-forecast", "  flywheel new churn --group org.acme --dir ~/work/churn"},
        description = "Create a pipeline project of your own: a standalone Maven project depending on the Flywheel SDK and formats of "
                + "this version, with one step, a pipeline 'training', a JUnit test, a README and its .flywheel/ project.")
public final class NewCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME", description = "The project's name (its folder and Maven artifactId): lower-case letters, "
            + "digits, '-' and '_'.")
    String name;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "com.example",
            description = "Maven groupId and the start of the Java package (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create it (default: ./NAME); must not exist or be empty.")
    Path dir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        NewProject.Created created = NewProject.create(dir != null ? dir : Path.of(name), name, group);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, created);
            return;
        }
        out.printf("Created %s (package %s, Flywheel %s) in %s%n", name, created.packageName(), created.flywheelVersion(), created.folder());
        out.println("Next:");
        out.printf("  cd %s%n", created.folder());
        out.println("  mvn package                  # compiles and runs its test");
        out.println("  flywheel run training        # finds target/classes and the dependencies by itself");
        out.flush();
    }
}
