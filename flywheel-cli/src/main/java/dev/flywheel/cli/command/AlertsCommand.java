package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.AlertRecord;
import dev.flywheel.runtime.Flywheel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "alerts",
        footer = {"  flywheel alerts list", "  flywheel alerts list --limit 100 --json"},
        description = "Alerts sent through the stack's alerter (drift, performance drops, steps' own), each with what became of it.",
        subcommands = {AlertsCommand.ListAlerts.class})
public final class AlertsCommand {

    @Command(name = "list",
            footer = {"  flywheel alerts list", "  flywheel alerts list --limit 100 --json"},
            description = "List the newest alerts and their deliveries, newest first.")
    static final class ListAlerts implements Runnable {
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                List<AlertRecord> alerts = flywheel.alerts().list(limit);
                if (json) {
                    Json.print(out, alerts);
                    return;
                }
                if (alerts.isEmpty()) {
                    out.println("No alerts yet. Drift and performance triggers send them (flywheel triggers create drift ...) through the"
                            + " stack's alerter (flywheel alerter register NAME --flavor webhook -s url={{secret.NAME.url}}).");
                    out.flush();
                    return;
                }
                TextTable table = new TextTable("TIME", "SEVERITY", "TITLE", "ALERTER", "DELIVERED", "DETAIL");
                for (AlertRecord a : alerts) {
                    table.row(Formats.time(a.at()), a.severity(), a.title(), a.alerter(), a.delivered() ? "yes" : "NO", a.detail());
                }
                table.print(out);
                out.flush();
            }
        }
    }
}
