package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.runtime.AlertRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;


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
            Listing.of("No alerts yet. Drift and performance triggers send them (flywheel triggers create drift ...) through the"
                                    + " stack's alerter (flywheel alerter register NAME --flavor webhook -s url={{secret.NAME.url}}).",
                            "TIME", "SEVERITY", "TITLE", "ALERTER", "DELIVERED", "DETAIL")
                    .row((AlertRecord a) -> new Object[]{Formats.time(a.at()), a.severity(), a.title(), a.alerter(),
                            a.delivered() ? "yes" : "NO", a.detail()})
                    .print(spec, json, flywheel -> flywheel.alerts().list(limit));
        }
    }
}
