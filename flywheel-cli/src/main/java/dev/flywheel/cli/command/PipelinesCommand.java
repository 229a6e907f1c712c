package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.store.metadata.PipelineRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

@Command(name = "pipelines",
        footer = {"  flywheel pipelines list"},
        description = "Pipelines registered on the classpath and pipelines that have run.",
        subcommands = PipelinesCommand.ListPipelines.class)
public final class PipelinesCommand {

    @Command(name = "list",
            footer = {"  flywheel pipelines list", "  flywheel pipelines list --classpath target/classes --json"},
            description = "List pipelines: registered ones (runnable with 'flywheel run') and recorded ones.")
    static final class ListPipelines implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        /** One pipeline as listed. */
        record Row(String name, int steps, boolean registered, String lastRunAt, String description) {
        }

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Map<String, Pipeline> registered = flywheel.pipelines().registered().stream()
                        .collect(Collectors.toMap(Pipeline::name, Function.identity()));
                Map<String, PipelineRecord> recorded = flywheel.pipelines().recorded().stream()
                        .collect(Collectors.toMap(PipelineRecord::name, Function.identity()));
                TreeMap<String, Row> rows = new TreeMap<>();
                registered.forEach((n, p) -> rows.put(n, new Row(n, p.steps().size(), true,
                        recorded.containsKey(n) ? Formats.time(recorded.get(n).lastRunAt()) : "-", p.description())));
                recorded.forEach((n, r) -> rows.putIfAbsent(n, new Row(n, -1, false, Formats.time(r.lastRunAt()), r.description())));
                List<Row> list = new ArrayList<>(rows.values());
                if (json) {
                    Json.print(out, list);
                    return;
                }
                if (list.isEmpty()) {
                    out.println("No pipelines. Register one with a dev.flywheel.sdk.spi.PipelineProvider and pass --classpath.");
                    return;
                }
                TextTable t = new TextTable("PIPELINE", "STEPS", "REGISTERED", "LAST RUN", "DESCRIPTION");
                for (Row r : list) {
                    t.row(r.name(), r.steps() < 0 ? "-" : r.steps(), r.registered() ? "yes" : "no", r.lastRunAt(), r.description());
                }
                t.print(out);
            }
        }
    }
}
