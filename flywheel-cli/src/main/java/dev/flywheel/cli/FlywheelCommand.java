package dev.flywheel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command; each concept is a sub-command that owns its verbs (listed in {@link Subcommands}). */
@Command(name = "flywheel",
        footer = {"  flywheel init --example", "  flywheel run demand_forecast", "  flywheel help served-models list"},
        mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Continuous training and continuous deployment for machine-learning models on the JVM.")
public final class FlywheelCommand implements Runnable {
    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @Option(names = "--home", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The project's .flywheel folder (default: $FLYWHEEL_HOME, else the nearest .flywheel/ at or above the current folder).")
    public java.nio.file.Path home;

    @Option(names = "--classpath", paramLabel = "CP", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Where pipelines and plug-ins (flavors, materializers, model formats) are: folders and jars, dir/* for"
                    + " every jar of a folder (default: $FLYWHEEL_CLASSPATH).")
    public String classpath;

    @Option(names = "--stack", paramLabel = "NAME",
            description = "Act on this stack's stores (a stack with a metadata store of its own keeps its runs and models there);"
                    + " default: the active stack. Put it before the command: flywheel --stack staging models versions demand.")
    public String stack;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
