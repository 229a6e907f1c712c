package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.engine.stack.ComponentKind;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code flywheel model-deployer|orchestrator|artifact-store register|list}: one verb set for every component kind. */
public final class ComponentCommands {
    private ComponentCommands() {
    }

    /** A component kind's command; its sub-commands read the kind from it. */
    public interface Kind {
        ComponentKind kind();
    }

    @Command(name = "model-deployer",
            footer = {"  flywheel model-deployer register local2 --flavor local -s maxRestarts=3", "  flywheel model-deployer list"},
            description = "Model deployer components.", subcommands = {Register.class, ListComponents.class})
    public static final class ModelDeployer implements Kind {
        public ComponentKind kind() {
            return ComponentKind.MODEL_DEPLOYER;
        }
    }

    @Command(name = "orchestrator",
            footer = {"  flywheel orchestrator register two --flavor local -s maxParallelism=2", "  flywheel orchestrator list"},
            description = "Orchestrator components.", subcommands = {Register.class, ListComponents.class})
    public static final class Orchestrator implements Kind {
        public ComponentKind kind() {
            return ComponentKind.ORCHESTRATOR;
        }
    }

    @Command(name = "artifact-store",
            footer = {"  flywheel artifact-store register durable --flavor local -s fsync=true", "  flywheel artifact-store list"},
            description = "Artifact store components.", subcommands = {Register.class, ListComponents.class})
    public static final class ArtifactStore implements Kind {
        public ComponentKind kind() {
            return ComponentKind.ARTIFACT_STORE;
        }
    }

    @Command(name = "register",
            footer = {"  ${PARENT-COMMAND-FULL-NAME} register second --flavor local",
                    "  ${PARENT-COMMAND-FULL-NAME} register tuned --flavor local -s KEY=VALUE"},
            description = "Register a component by name, flavor and settings (checked now).")
    static final class Register implements Runnable {
        @ParentCommand
        Kind parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "The component's name, used by: flywheel stack register.")
        String name;
        @Option(names = {"-f", "--flavor"}, required = true, paramLabel = "FLAVOR", description = "For example: local.")
        String flavor;
        @Option(names = {"-s", "--setting"}, paramLabel = "KEY=VALUE", description = "A flavor setting; repeatable.")
        List<String> settings = List.of();
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String s : settings) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw FlywheelException.invalid("--setting '" + s + "' must be KEY=VALUE, for example --setting maxRestarts=3");
                }
                parsed.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
            }
            try (Flywheel flywheel = Project.existing(spec)) {
                StackComponent c = flywheel.stacks().registerComponent(parent.kind(), name, flavor, parsed);
                spec.commandLine().getOut().println(c.kind().label() + " '" + c.name() + "' (" + c.flavor() + ") registered; add it to a stack: flywheel stack register NAME "
                        + c.kind().flag() + " " + c.name());
            }
        }
    }

    @Command(name = "list",
            footer = {"  ${PARENT-COMMAND-FULL-NAME} list", "  ${PARENT-COMMAND-FULL-NAME} list --json"},
            description = "List registered components of this kind.")
    static final class ListComponents implements Runnable {
        @ParentCommand
        Kind parent;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                List<StackComponent> all = flywheel.stacks().components(parent.kind());
                if (json) {
                    Json.print(out, all);
                    return;
                }
                TextTable t = new TextTable("NAME", "FLAVOR", "SETTINGS");
                all.forEach(c -> t.row(c.name(), c.flavor(), c.settings().isEmpty() ? "-" : c.settings()));
                t.print(out);
            }
        }
    }
}
