package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.FlavorInfo;
import dev.flywheel.sdk.flavor.Flavors;
import dev.flywheel.sdk.flavor.SettingInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "flavors",
        footer = {"  flywheel flavors list", "  flywheel flavors list --kind model-deployer --json",
                "  flywheel flavors list --classpath plugins/*"},
        description = "Component flavors: the built-in ones and those plug-in jars on the classpath add.",
        subcommands = FlavorsCommand.ListFlavors.class)
public final class FlavorsCommand {

    @Command(name = "list",
            footer = {"  flywheel flavors list", "  flywheel flavors list --kind artifact-store", "  flywheel flavors list --json"},
            description = "List every flavor found on the classpath with its settings (name, type, default, required, description).")
    static final class ListFlavors implements Runnable {
        @Option(names = "--kind", paramLabel = "KIND", description = "Only flavors of this kind (model-deployer, orchestrator, artifact-store, "
                + "step-operator, alerter, data-validator, secrets-store, metadata-store).")
        String kind;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ComponentKind k = kind == null ? null : ComponentKind.parse(kind);
            Flavors flavors = Flavors.discover(Project.loader(spec));
            List<FlavorInfo> list = k == null ? flavors.list() : flavors.list(k);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            flavors.problems().forEach(p -> err.println("warning: " + p));
            err.flush();
            if (json) {
                Json.print(out, list);
                return;
            }
            if (list.isEmpty()) {
                out.println("No " + (k == null ? "" : k.label() + " ") + "flavors found; a plug-in jar adds some: flywheel --classpath JAR flavors list");
                out.flush();
                return;
            }
            boolean first = true;
            for (FlavorInfo f : list) {
                if (!first) {
                    out.println();
                }
                first = false;
                out.println(f.kind() + " " + f.name() + "  (" + f.source() + ")");
                out.println("  " + f.description());
                if (f.problem() != null) {
                    out.println("  cannot be used: " + f.problem());
                } else if (f.settings().isEmpty()) {
                    out.println("  no settings");
                } else {
                    TextTable t = new TextTable("  SETTING", "TYPE", "DEFAULT", "REQUIRED", "DESCRIPTION");
                    for (SettingInfo s : f.settings()) {
                        t.row("  " + s.name(), s.type() + (s.secret() ? ", secret" : ""), s.defaultValue() == null ? "-" : s.defaultValue(),
                                s.required() ? "yes" : "no", s.description().isEmpty() ? "-" : s.description());
                    }
                    t.print(out);
                }
            }
            out.flush();
        }
    }
}
