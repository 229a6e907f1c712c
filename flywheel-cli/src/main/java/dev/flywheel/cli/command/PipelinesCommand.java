package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.DataFiles;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.store.metadata.PipelineRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
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

        /** One pipeline as listed; {@code data} is null when it declares no data files. */
        record Row(String name, int steps, boolean registered, String lastRunAt, String description, Data data) {
        }

        /** The files a pipeline reads ({@code Pipeline.Builder#readsFiles}), looked for from the current folder. */
        record Data(String folder, String glob, int files, String hint) {
            static Data of(DataFiles d) {
                Path here = Path.of("");
                return new Data(d.resolve(here).toString(), d.glob(), d.find(here).size(), d.hint());
            }

            String text() {
                return files > 0 ? files + " x " + glob + " in " + relative(folder) : "MISSING " + glob + " in " + relative(folder);
            }

            private static String relative(String folder) {
                Path here = Path.of("").toAbsolutePath();
                Path p = Path.of(folder);
                return p.startsWith(here) && !p.equals(here) ? here.relativize(p).toString() : folder;
            }
        }

        @Override
        public void run() {
            Listing.of("No pipelines. Register one with a dev.flywheel.sdk.spi.PipelineProvider and pass --classpath.",
                            "PIPELINE", "STEPS", "REGISTERED", "LAST RUN", "DATA", "DESCRIPTION")
                    .row((Row r) -> new Object[]{r.name(), r.steps() < 0 ? "-" : r.steps(), r.registered() ? "yes" : "no", r.lastRunAt(),
                            r.data() == null ? "-" : r.data().text(), r.description()})
                    .footer((out, list) -> {
                        for (Row r : list) {
                            if (r.data() != null && r.data().files() == 0) {
                                out.println(r.name() + " needs " + r.data().glob() + " files in " + r.data().folder()
                                        + (r.data().hint().isEmpty() ? "" : ": " + r.data().hint()));
                            }
                        }
                    })
                    .print(spec, json, flywheel -> rows(flywheel));
        }

        /** Registered pipelines and those with recorded runs, by name. */
        private static List<Row> rows(Flywheel flywheel) {
            Map<String, Pipeline> registered = flywheel.pipelines().registered().stream()
                    .collect(Collectors.toMap(Pipeline::name, Function.identity()));
            Map<String, PipelineRecord> recorded = flywheel.pipelines().recorded().stream()
                    .collect(Collectors.toMap(PipelineRecord::name, Function.identity()));
            TreeMap<String, Row> rows = new TreeMap<>();
            registered.forEach((n, p) -> rows.put(n, new Row(n, p.steps().size(), true,
                    recorded.containsKey(n) ? Formats.time(recorded.get(n).lastRunAt()) : "-", p.description(),
                    p.dataFiles().map(Data::of).orElse(null))));
            recorded.forEach((n, r) -> rows.putIfAbsent(n, new Row(n, -1, false, Formats.time(r.lastRunAt()), r.description(), null)));
            return new ArrayList<>(rows.values());
        }
    }
}
