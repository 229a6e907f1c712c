package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.flavor.ComponentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code flywheel model-deployer|orchestrator|artifact-store|step-operator|alerter|data-validator|secrets-store
 * register|list|describe}: one verb set for every component kind.
 */
public final class ComponentCommands {
    private ComponentCommands() {
    }

    /** A component kind's command; its sub-commands read the kind from it. */
    public interface Kind {
        ComponentKind kind();
    }

    @Command(name = "model-deployer",
            footer = {"  flywheel model-deployer register local2 --flavor local -s maxRestarts=3", "  flywheel model-deployer list"},
            description = "Model deployer components: they serve model versions as long-lived services.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class ModelDeployer implements Kind {
        public ComponentKind kind() {
            return ComponentKind.MODEL_DEPLOYER;
        }
    }

    @Command(name = "orchestrator",
            footer = {"  flywheel orchestrator register two --flavor local -s maxParallelism=2", "  flywheel orchestrator list"},
            description = "Orchestrator components: they run a pipeline's steps in dependency order.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class Orchestrator implements Kind {
        public ComponentKind kind() {
            return ComponentKind.ORCHESTRATOR;
        }
    }

    @Command(name = "artifact-store",
            footer = {"  flywheel artifact-store register durable --flavor local -s fsync=true", "  flywheel artifact-store list"},
            description = "Artifact store components: where artifact bytes live.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class ArtifactStore implements Kind {
        public ComponentKind kind() {
            return ComponentKind.ARTIFACT_STORE;
        }
    }

    @Command(name = "step-operator",
            footer = {"  flywheel step-operator list", "  flywheel step-operator describe cluster"},
            description = "Step operator components: they run chosen steps elsewhere (a cluster). A stack has none unless given.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class StepOperator implements Kind {
        public ComponentKind kind() {
            return ComponentKind.STEP_OPERATOR;
        }
    }

    @Command(name = "alerter",
            footer = {"  flywheel alerter register quiet --flavor log -s level=warn", "  flywheel alerter list"},
            description = "Alerter components: they tell people about failed runs, drift and rejected deploys.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class Alerter implements Kind {
        public ComponentKind kind() {
            return ComponentKind.ALERTER;
        }
    }

    @Command(name = "data-validator",
            footer = {"  flywheel data-validator register lenient --flavor ranges -s allowMissing=true", "  flywheel data-validator list"},
            description = "Data validator components: they check data against expectations before it reaches a model.",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class DataValidator implements Kind {
        public ComponentKind kind() {
            return ComponentKind.DATA_VALIDATOR;
        }
    }

    @Command(name = "secrets-store",
            footer = {"  flywheel secrets-store list", "  flywheel secrets-store set default"},
            description = "Secrets store components: the project's one secrets store keeps what settings refer to as {{secret.NAME.KEY}}.",
            subcommands = {Register.class, ListComponents.class, Describe.class, SetProjectComponent.class})
    public static final class SecretsStore implements Kind {
        public ComponentKind kind() {
            return ComponentKind.SECRETS_STORE;
        }
    }

    @Command(name = "metadata-store",
            footer = {"  flywheel metadata-store register staging-db --flavor sqlite -s path=staging.db",
                    "  flywheel metadata-store list"},
            description = "Metadata stores a stack keeps its runs, models and services in, apart from the project's (named in"
                    + " .flywheel/project.properties, which also holds the stacks and secrets).",
            subcommands = {Register.class, ListComponents.class, Describe.class})
    public static final class MetadataStore implements Kind {
        public ComponentKind kind() {
            return ComponentKind.METADATA_STORE;
        }
    }

    /** A component as the CLI shows it: settings that are secrets masked. */
    record ComponentView(String kind, String name, String flavor, Map<String, String> settings, Instant createdAt) {
        static ComponentView of(Flywheel flywheel, StackComponent c) {
            return new ComponentView(c.kind().label(), c.name(), c.flavor(), flywheel.stacks().displaySettings(c), c.createdAt());
        }

        String settingsText() {
            return settings.isEmpty() ? "-" : settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    @Command(name = "register",
            footer = {"  ${PARENT-COMMAND-FULL-NAME} register second --flavor local",
                    "  ${PARENT-COMMAND-FULL-NAME} register tuned --flavor local -s KEY=VALUE"},
            description = "Register a component by name, flavor and settings (checked now: see flywheel flavors list).")
    static final class Register implements Runnable {
        @ParentCommand
        Kind parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "The component's name, used by: flywheel stack register.")
        String name;
        @Option(names = {"-f", "--flavor"}, required = true, paramLabel = "FLAVOR", description = "The flavor (see: flywheel flavors list).")
        String flavor;
        @Option(names = {"-s", "--setting"}, paramLabel = "KEY=VALUE",
                description = "A flavor setting; repeatable. A value may refer to a secret: {{secret.NAME.KEY}}.")
        List<String> settings = List.of();
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, String> parsed = KeyValues.parse(settings, "--setting", "maxRestarts=3", false);
            try (Flywheel flywheel = Project.existing(spec)) {
                StackComponent c = flywheel.stacks().registerComponent(parent.kind(), name, flavor, parsed);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, ComponentView.of(flywheel, c));
                    return;
                }
                String use = c.kind() == ComponentKind.METADATA_STORE ? "give it to a stack: flywheel stack register NAME --metadata-store " + c.name()
                        : c.kind().scope() == ComponentKind.Scope.PROJECT ? "make it the project's: flywheel " + c.kind().label() + " set " + c.name()
                        : "add it to a stack: flywheel stack register NAME " + c.kind().flag() + " " + c.name();
                out.println(c.kind().label() + " '" + c.name() + "' (" + c.flavor() + ") registered; " + use);
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
            ComponentKind kind = parent.kind();
            Listing.of("No " + kind.label() + " registered; add one: flywheel " + kind.label() + " register NAME --flavor FLAVOR"
                            + " (flavors: flywheel flavors list --kind " + kind.label() + ")", "NAME", "FLAVOR", "SETTINGS", "CREATED")
                    .row((ComponentView c) -> new Object[]{c.name(), c.flavor(), c.settingsText(), Formats.time(c.createdAt())})
                    .print(spec, json, flywheel -> flywheel.stacks().components(kind).stream().map(c -> ComponentView.of(flywheel, c)).toList());
        }
    }

    @Command(name = "describe",
            footer = {"  ${PARENT-COMMAND-FULL-NAME} describe default", "  ${PARENT-COMMAND-FULL-NAME} describe default --json"},
            description = "Show a component: its flavor and settings (secrets masked).")
    static final class Describe implements Runnable {
        @ParentCommand
        Kind parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "The component's name.")
        String name;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ComponentView c = ComponentView.of(flywheel, flywheel.stacks().component(parent.kind(), name));
                if (json) {
                    Json.print(out, c);
                    return;
                }
                out.println("Kind:      " + c.kind());
                out.println("Name:      " + c.name());
                out.println("Flavor:    " + c.flavor());
                out.println("Created:   " + Formats.time(c.createdAt()));
                out.println("Settings:  " + (c.settings().isEmpty() ? "-" : ""));
                c.settings().forEach((k, v) -> out.println("  " + k + " = " + v));
                out.flush();
            }
        }
    }

    @Command(name = "set",
            footer = {"  ${PARENT-COMMAND-FULL-NAME} set default"},
            description = "Make a registered component the project's (secrets already stored stay in the previous store).")
    static final class SetProjectComponent implements Runnable {
        @ParentCommand
        Kind parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "The component's name.")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                StackComponent c = flywheel.stacks().setProjectComponent(parent.kind(), name);
                spec.commandLine().getOut().println("The project's " + c.kind().label() + " is now '" + c.name() + "' (" + c.flavor() + ")");
            }
        }
    }
}
