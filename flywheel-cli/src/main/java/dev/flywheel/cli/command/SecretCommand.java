package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.Secrets;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.secret.SecretInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

@Command(name = "secret",
        footer = {"  flywheel secret create db -v user=ml --from-env PGPASSWORD=password", "  flywheel secret list",
                "  flywheel secret describe db"},
        description = "Secrets: values component settings refer to as {{secret.NAME.KEY}}, encrypted at rest and never printed.",
        subcommands = {SecretCommand.Create.class, SecretCommand.ListSecrets.class, SecretCommand.Describe.class, SecretCommand.Delete.class})
public final class SecretCommand {

    @Command(name = "create",
            footer = {"  flywheel secret create hook -v token=abc123", "  flywheel secret create db --from-env PGPASSWORD=password",
                    "  flywheel secret create aws --from-env AWS_SECRET_ACCESS_KEY"},
            description = "Store a new secret (values from -v or from environment variables; nothing is printed back).")
    static final class Create implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '_' and '-'; referred to as {{secret.NAME.KEY}}.")
        String name;
        @Option(names = {"-v", "--value"}, paramLabel = "KEY=VALUE", description = "A value; repeatable. Visible in shell history: prefer --from-env.")
        List<String> values = List.of();
        @Option(names = "--from-env", paramLabel = "VAR[=KEY]", description = "The value of environment variable VAR, stored as KEY (default: VAR); repeatable.")
        List<String> fromEnv = List.of();
        @Option(names = "--json", description = "Print JSON (the name and keys; never values).")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, String> parsed = KeyValues.parse(values, "-v", "password=...", true);
            for (String e : fromEnv) {
                int eq = e.indexOf('=');
                String variable = eq < 0 ? e : e.substring(0, eq);
                String key = eq < 0 ? e : e.substring(eq + 1);
                String value = System.getenv(variable);
                if (value == null) {
                    throw FlywheelException.invalid("--from-env " + variable + ": the environment variable is not set");
                }
                KeyValues.put(parsed, key.strip(), value);
            }
            try (Flywheel flywheel = Project.existing(spec)) {
                SecretInfo s = flywheel.secrets().create(name, parsed);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, s);
                    return;
                }
                out.println("Secret '" + s.name() + "' created with key" + (s.keys().size() > 1 ? "s " : " ") + String.join(", ", s.keys())
                        + "; refer to a value as {{secret." + s.name() + "." + s.keys().getFirst() + "}}");
            }
        }
    }

    @Command(name = "list", footer = {"  flywheel secret list", "  flywheel secret list --json"},
            description = "List secrets: names and keys, never values.")
    static final class ListSecrets implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No secrets yet. Store one with: flywheel secret create NAME -v KEY=VALUE", "NAME", "KEYS", "CREATED", "UPDATED")
                    .row((SecretInfo s) -> new Object[]{s.name(), String.join(", ", s.keys()), Formats.time(s.createdAt()), Formats.time(s.updatedAt())})
                    .print(spec, json, flywheel -> flywheel.secrets().list());
        }
    }

    @Command(name = "describe", footer = {"  flywheel secret describe db", "  flywheel secret describe db --json"},
            description = "Show a secret's keys (values shown as ****) and the components that refer to it.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name.")
        String name;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Secrets.SecretDescription d = flywheel.secrets().describe(name);
                if (json) {
                    Json.print(out, d);
                    return;
                }
                out.println("Secret:   " + d.name());
                out.println("Created:  " + Formats.time(d.createdAt()));
                out.println("Updated:  " + Formats.time(d.updatedAt()));
                out.println("Values:");
                d.keys().forEach(k -> out.println("  " + k + " = ****   ({{secret." + d.name() + "." + k + "}})"));
                out.println("Used by:  " + (d.usedBy().isEmpty() ? "-" : String.join("; ", d.usedBy())));
                out.flush();
            }
        }
    }

    @Command(name = "delete", footer = {"  flywheel secret delete db", "  flywheel secret delete db -y --force"},
            description = "Delete a secret; refused while component settings refer to it unless --force.")
    static final class Delete implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name.")
        String name;
        @Option(names = "--force", description = "Delete even when components refer to it (they fail when used, until registered again).")
        boolean force;
        @Mixin
        Confirmation confirmation;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                Secrets.SecretDescription d = flywheel.secrets().describe(name);
                if (!d.usedBy().isEmpty() && !force) {
                    flywheel.secrets().delete(name, false); // refuses, saying who uses it, before asking anything
                }
                confirmation.require("delete secret " + d.name() + " (keys " + String.join(", ", d.keys()) + ")", name);
                flywheel.secrets().delete(name, force);
                spec.commandLine().getOut().println("Deleted secret '" + name + "'.");
            }
        }
    }
}
