package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.cli.render.ValueView;
import dev.flywheel.runtime.Artifacts;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "artifacts",
        footer = {"  flywheel artifacts list", "  flywheel artifacts describe 9c1e", "  flywheel artifacts show 9c1e"},
        description = "Step outputs stored in the artifact store: list, describe and show.",
        subcommands = {ArtifactsCommand.ListArtifacts.class, ArtifactsCommand.DescribeArtifact.class, ArtifactsCommand.ShowArtifact.class})
public final class ArtifactsCommand {

    @Command(name = "list",
            footer = {"  flywheel artifacts list", "  flywheel artifacts list --run 3f2a --json"},
            description = "List artifacts, newest first.")
    static final class ListArtifacts implements Runnable {
        @Option(names = "--run", paramLabel = "RUN", description = "Only artifacts produced by this run (id or prefix).")
        String run;

        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No artifacts yet.", "ARTIFACT", "TYPE", "SIZE", "PRODUCED BY", "RUN", "CREATED")
                    .row((ArtifactRecord a) -> new Object[]{Formats.shortId(a.id()), Formats.simpleType(a.type()), Formats.bytes(a.size()),
                            a.stepName() + "." + a.outputName(), Formats.shortId(a.runId()), Formats.time(a.createdAt())})
                    .print(spec, json, flywheel -> flywheel.artifacts().list(run == null ? null : flywheel.runs().describe(run).run().id(), limit));
        }
    }

    @Command(name = "describe",
            footer = {"  flywheel artifacts describe 9c1e", "  flywheel artifacts describe 9c1e --json"},
            description = "Show an artifact: type, size, sha256, location, and which steps produced and consumed it.")
    static final class DescribeArtifact implements Runnable {
        @Parameters(index = "0", paramLabel = "ARTIFACT", description = "Artifact id or a unique prefix of it.")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Artifacts.ArtifactDescription d = flywheel.artifacts().describe(id);
                if (json) {
                    Json.print(out, d);
                    return;
                }
                ArtifactRecord a = d.artifact();
                out.println("Artifact:     " + a.id());
                out.println("Type:         " + a.type());
                out.println("Materializer: " + a.materializer());
                out.println("Size:         " + Formats.bytes(a.size()) + " (" + a.size() + " bytes)");
                out.println("SHA-256:      " + a.sha256());
                out.println("Location:     " + d.location() + (d.bytesPresent() ? "" : "  (MISSING from the artifact store)"));
                out.println("Produced by:  step " + a.stepName() + ", output " + a.outputName() + ", run " + a.runId());
                out.println("Created:      " + Formats.time(a.createdAt()));
                out.println();
                TextTable t = new TextTable("STEP RUN", "ROLE", "AS");
                for (ArtifactLink l : d.links()) {
                    t.row(Formats.shortId(l.stepRunId()), l.direction() == ArtifactLink.Direction.INPUT ? "consumed" : "produced", l.name());
                }
                t.print(out);
            }
        }
    }

    @Command(name = "show",
            footer = {"  flywheel artifacts show 9c1e", "  flywheel artifacts show 9c1e --rows 5 --json",
                    "  flywheel artifacts show 9c1e --classpath target/classes:target/lib/*"},
            description = "Print an artifact's value: text as is, a table's first rows, anything else as JSON."
                    + " The bytes are checked against their recorded sha256 first.")
    static final class ShowArtifact implements Runnable {
        @Parameters(index = "0", paramLabel = "ARTIFACT", description = "Artifact id or a unique prefix of it.")
        String id;

        @Option(names = {"-n", "--rows"}, defaultValue = "20", description = "At most this many table rows or elements (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--json", description = "Print JSON: the artifact's id, type and value.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Artifacts.LoadedArtifact loaded = flywheel.artifacts().load(id);
                if (json) {
                    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
                    doc.put("id", loaded.artifact().id());
                    doc.put("type", loaded.artifact().type());
                    doc.put("value", ValueView.tree(loaded.value(), rows));
                    Json.print(out, doc);
                    return;
                }
                ValueView.print(out, loaded.value(), rows);
            }
        }
    }
}
