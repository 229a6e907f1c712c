package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.StackDescription;
import dev.flywheel.sdk.flavor.ComponentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

@Command(name = "stack",
        footer = {"  flywheel stack list", "  flywheel stack register prod -d k8s-deployer -a s3-store --set", "  flywheel stack describe prod"},
        description = "Stacks: named sets of components (orchestrator, artifact store, model deployer, step operator, alerter, data validator).",
        subcommands = {StackCommand.Register.class, StackCommand.ListStacks.class, StackCommand.Describe.class, StackCommand.Set.class})
public final class StackCommand {

    @Command(name = "register",
            footer = {"  flywheel stack register staging -d staging-deployer",
                    "  flywheel stack register prod -a s3-store -al team-hook --set",
                    "  flywheel stack register staging -a stage-files --metadata-store stage-db"},
            description = "Register a stack of registered components; a kind left out takes the 'default' one (a step operator only when given).")
    static final class Register implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name.")
        String name;
        @Option(names = {"-o", "--orchestrator"}, paramLabel = "NAME", description = "A registered orchestrator (see: flywheel orchestrator list).")
        String orchestrator;
        @Option(names = {"-a", "--artifact-store"}, paramLabel = "NAME", description = "A registered artifact store (see: flywheel artifact-store list).")
        String artifactStore;
        @Option(names = {"-d", "--model-deployer"}, paramLabel = "NAME", description = "A registered model deployer (see: flywheel model-deployer list).")
        String deployer;
        @Option(names = {"-s", "--step-operator"}, paramLabel = "NAME", description = "A registered step operator (see: flywheel step-operator list).")
        String stepOperator;
        @Option(names = {"-al", "--alerter"}, paramLabel = "NAME", description = "A registered alerter (see: flywheel alerter list).")
        String alerter;
        @Option(names = {"-dv", "--data-validator"}, paramLabel = "NAME", description = "A registered data validator (see: flywheel data-validator list).")
        String dataValidator;
        @Option(names = "--metadata-store", paramLabel = "NAME",
                description = "A registered metadata store that keeps this stack's runs, models and services apart from the project's"
                        + " (see: flywheel metadata-store list); default: the project's.")
        String metadataStore;
        @Option(names = "--set", description = "Make it the active stack.")
        boolean set;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<ComponentKind, String> members = new EnumMap<>(ComponentKind.class);
            put(members, ComponentKind.ORCHESTRATOR, orchestrator);
            put(members, ComponentKind.ARTIFACT_STORE, artifactStore);
            put(members, ComponentKind.MODEL_DEPLOYER, deployer);
            put(members, ComponentKind.STEP_OPERATOR, stepOperator);
            put(members, ComponentKind.ALERTER, alerter);
            put(members, ComponentKind.DATA_VALIDATOR, dataValidator);
            put(members, ComponentKind.METADATA_STORE, metadataStore);
            try (Flywheel flywheel = Project.existing(spec)) {
                Stack s = flywheel.stacks().registerStack(name, members);
                if (set) {
                    flywheel.stacks().setActive(name);
                }
                spec.commandLine().getOut().println("Stack '" + s.name() + "' registered" + (set ? " and active." : "; use it with: flywheel stack set " + name));
            }
        }

        private static void put(Map<ComponentKind, String> m, ComponentKind k, String v) {
            if (v != null) {
                m.put(k, v);
            }
        }
    }

    @Command(name = "list",
            footer = {"  flywheel stack list", "  flywheel stack list --json"},
            description = "List stacks; * marks the active one.")
    static final class ListStacks implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No stacks.", "ACTIVE", "STACK", "ORCHESTRATOR", "ARTIFACT-STORE", "MODEL-DEPLOYER", "STEP-OPERATOR")
                    .row((Stack s) -> new Object[]{s.active() ? "*" : "", s.name(), name(s, ComponentKind.ORCHESTRATOR),
                            name(s, ComponentKind.ARTIFACT_STORE), name(s, ComponentKind.MODEL_DEPLOYER), name(s, ComponentKind.STEP_OPERATOR)})
                    .print(spec, json, flywheel -> flywheel.stacks().list());
        }
    }

    @Command(name = "describe",
            footer = {"  flywheel stack describe", "  flywheel stack describe staging --json"},
            description = "Show a stack's components and the project's (secrets store, metadata store) with flavors and settings; secrets masked.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Default: the active stack.")
        String name;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                StackDescription d = flywheel.describeStack(name);
                if (json) {
                    Json.print(out, d);
                    return;
                }
                out.println("Stack: " + d.name() + (d.active() ? " (active)" : ""));
                TextTable t = new TextTable("KIND", "NAME", "FLAVOR", "SETTINGS");
                for (StackDescription.Component c : d.components()) {
                    String settings = c.settings().isEmpty() ? "-" : c.settings().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(" "));
                    t.row(c.kind() + ("project".equals(c.scope()) ? " (project)" : ""), c.name(), c.flavor(),
                            c.where() == null ? settings : settings.equals("-") ? c.where() : settings + " " + c.where());
                }
                t.print(out);
            }
        }
    }

    @Command(name = "set",
            footer = {"  flywheel stack set staging"},
            description = "Make a stack the active one.")
    static final class Set implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name.")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                flywheel.stacks().setActive(name);
                spec.commandLine().getOut().println("Active stack: " + name);
            }
        }
    }

    static String name(Stack s, ComponentKind k) {
        StackComponent c = s.component(k);
        return c == null ? "-" : c.name() + " (" + c.flavor() + ")";
    }
}
