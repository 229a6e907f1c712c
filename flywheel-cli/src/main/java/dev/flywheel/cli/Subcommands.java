package dev.flywheel.cli;

import dev.flywheel.cli.command.AlertsCommand;
import dev.flywheel.cli.command.ArtifactsCommand;
import dev.flywheel.cli.command.CiCommand;
import dev.flywheel.cli.command.ComponentCommands;
import dev.flywheel.cli.command.FlavorsCommand;
import dev.flywheel.cli.command.SecretCommand;
import dev.flywheel.cli.command.InfoCommand;
import dev.flywheel.cli.command.InitCommand;
import dev.flywheel.cli.command.NewCommand;
import dev.flywheel.cli.command.ModelsCommand;
import dev.flywheel.cli.command.MonitorCommand;
import dev.flywheel.cli.command.PipelinesCommand;
import dev.flywheel.cli.command.QuickstartCommand;
import dev.flywheel.cli.command.RunCommand;
import dev.flywheel.cli.command.RunsCommand;
import dev.flywheel.cli.command.SchedulerCommand;
import dev.flywheel.cli.command.SchedulesCommand;
import dev.flywheel.cli.command.ServeCommand;
import dev.flywheel.cli.command.ServerCommand;
import dev.flywheel.cli.command.UiCommand;
import dev.flywheel.cli.command.RolloutsCommand;
import dev.flywheel.cli.command.ServedModelsCommand;
import dev.flywheel.cli.command.StackCommand;
import dev.flywheel.cli.command.TransferCommands;
import dev.flywheel.cli.command.TriggersCommand;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every sub-command of {@code flywheel}, by name, in the order {@code --help} lists them. Only the sub-command being
 * run is handed to picocli: building picocli's model of all of them by reflection would cost most of the start-up
 * time of a short command like {@code flywheel runs list}.
 */
final class Subcommands {
    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("init", InitCommand::new);
        ALL.put("info", InfoCommand::new);
        ALL.put("new", NewCommand::new);
        ALL.put("quickstart", QuickstartCommand::new);
        ALL.put("run", RunCommand::new);
        ALL.put("pipelines", PipelinesCommand::new);
        ALL.put("runs", RunsCommand::new);
        ALL.put("artifacts", ArtifactsCommand::new);
        ALL.put("models", ModelsCommand::new);
        ALL.put("serve", ServeCommand::new);
        ALL.put("served-models", ServedModelsCommand::new);
        ALL.put("rollouts", RolloutsCommand::new);
        ALL.put("schedules", SchedulesCommand::new);
        ALL.put("triggers", TriggersCommand::new);
        ALL.put("scheduler", SchedulerCommand::new);
        ALL.put("monitor", MonitorCommand::new);
        ALL.put("alerts", AlertsCommand::new);
        ALL.put("stack", StackCommand::new);
        ALL.put("model-deployer", ComponentCommands.ModelDeployer::new);
        ALL.put("orchestrator", ComponentCommands.Orchestrator::new);
        ALL.put("artifact-store", ComponentCommands.ArtifactStore::new);
        ALL.put("step-operator", ComponentCommands.StepOperator::new);
        ALL.put("alerter", ComponentCommands.Alerter::new);
        ALL.put("data-validator", ComponentCommands.DataValidator::new);
        ALL.put("secrets-store", ComponentCommands.SecretsStore::new);
        ALL.put("metadata-store", ComponentCommands.MetadataStore::new);
        ALL.put("flavors", FlavorsCommand::new);
        ALL.put("secret", SecretCommand::new);
        ALL.put("server", ServerCommand::new);
        ALL.put("ui", UiCommand::new);
        ALL.put("ci", CiCommand::new);
        ALL.put("export", TransferCommands.Export::new);
        ALL.put("import", TransferCommands.Import::new);
    }

    private Subcommands() {
    }

    /**
     * Adds the sub-command named in {@code args} to {@code root}, none for {@code flywheel --version} (it prints two
     * lines; the model of every command would be most of its time), else all of them (root help, {@code help}).
     */
    static void register(CommandLine root, String[] args) {
        String named = named(args);
        if (named != null && ALL.containsKey(named)) {
            root.addSubcommand(named, ALL.get(named).get());
            return;
        }
        if (named == null && versionOnly(args)) {
            return;
        }
        ALL.forEach((name, command) -> root.addSubcommand(name, command.get()));
    }

    /** {@code --version} (or {@code -V}) without {@code --help}, which would list the commands. */
    private static boolean versionOnly(String[] args) {
        List<String> given = List.of(args);
        return (given.contains("--version") || given.contains("-V")) && !given.contains("--help") && !given.contains("-h");
    }

    /** The first argument that is not an option of the root command (or its value). */
    private static String named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home") || a.equals("--classpath")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }
}
