package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.Runs;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

@Command(name = "runs",
        footer = {"  flywheel runs list", "  flywheel runs describe 3f2a --logs"},
        description = "Pipeline runs: list and describe.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.DescribeRun.class})
public final class RunsCommand {

    @Command(name = "list",
            footer = {"  flywheel runs list", "  flywheel runs list --pipeline demand_forecast -n 5 --json",
                    "  flywheel runs list --branch feature/new-features"},
            description = "List runs, newest first.")
    static final class ListRuns implements Runnable {
        @Option(names = "--pipeline", paramLabel = "NAME", description = "Only runs of this pipeline.")
        String pipeline;

        @Option(names = "--branch", paramLabel = "BRANCH", description = "Only runs of code on this git branch.")
        String branch;

        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many runs (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (limit < 1) {
                throw dev.flywheel.sdk.FlywheelException.invalid("--limit must be at least 1, got " + limit);
            }
            String empty = branch != null ? "No runs" + (pipeline == null ? "" : " of pipeline '" + pipeline + "'")
                    + " on branch '" + branch + "'." : pipeline == null ? "No runs yet. Start one with: flywheel run PIPELINE"
                    : "No runs of pipeline '" + pipeline + "'.";
            Listing.of(empty, "RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "TRIGGER", "CODE")
                    .row((RunRecord r) -> new Object[]{Formats.shortId(r.id()), r.pipeline(), r.status(), Formats.time(r.startedAt()),
                            Formats.duration(r.startedAt(), r.finishedAt()), r.trigger(), code(r)})
                    .print(spec, json, flywheel -> flywheel.runs().list(pipeline, branch, limit));
        }

        private static String code(RunRecord r) {
            if (!r.source().known()) {
                return "-";
            }
            return r.source().shortCommit() + (r.source().branch() == null ? "" : " " + r.source().branch())
                    + (Boolean.TRUE.equals(r.source().dirty()) ? "*" : "");
        }
    }

    @Command(name = "describe",
            footer = {"  flywheel runs describe 3f2a", "  flywheel runs describe 3f2a --logs"},
            description = "Show a run: its steps, their status, durations, cache hits and artifacts.")
    static final class DescribeRun implements Runnable {
        @Parameters(index = "0", paramLabel = "RUN", description = "Run id or a unique prefix of it.")
        String id;

        @Option(names = "--logs", description = "Also print each step's captured log.")
        boolean logs;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Runs.RunDescription d = flywheel.runs().describe(id);
                if (json) {
                    Json.print(out, d);
                    return;
                }
                RunRecord r = d.run();
                out.println("Run:       " + r.id());
                out.println("Pipeline:  " + r.pipeline());
                out.println("Status:    " + r.status());
                out.println("Started:   " + Formats.time(r.startedAt()));
                out.println("Duration:  " + Formats.duration(r.startedAt(), r.finishedAt()));
                out.println("Trigger:   " + r.trigger());
                out.println("Code:      " + (r.source().known() ? r.source().commit() + " on "
                        + (r.source().branch() == null ? "an unknown branch" : r.source().branch())
                        + (Boolean.TRUE.equals(r.source().dirty()) ? " (uncommitted changes)" : "") : r.source().describe()));
                if (!"{}".equals(r.paramsJson())) {
                    out.println("Params:    " + r.paramsJson());
                }
                if (r.error() != null) {
                    out.println("Error:     " + r.error());
                }
                out.println();
                TextTable t = new TextTable("STEP", "STATUS", "ATTEMPTS", "DURATION", "CACHED FROM", "INPUTS", "OUTPUTS");
                for (Runs.RunDescription.Step s : d.steps()) {
                    StepRunRecord sr = s.record();
                    t.row(sr.name(), sr.status(), sr.attempts(), Formats.duration(sr.startedAt(), sr.finishedAt()),
                            sr.cachedFrom() == null ? "-" : Formats.shortId(sr.cachedFrom()),
                            links(s.links(), ArtifactLink.Direction.INPUT), links(s.links(), ArtifactLink.Direction.OUTPUT));
                }
                t.print(out);
                for (Runs.RunDescription.Step s : d.steps()) {
                    StepRunRecord sr = s.record();
                    if (sr.error() != null && sr.status() != dev.flywheel.sdk.StepStatus.SKIPPED) {
                        out.println();
                        out.println("Step " + sr.name() + " failed: " + sr.error());
                    }
                    if (sr.metadataJson() != null) {
                        out.println("Step " + sr.name() + " metadata: " + sr.metadataJson());
                    }
                    if (logs && sr.logs() != null) {
                        out.println();
                        out.println("--- log of step " + sr.name() + " ---");
                        out.print(sr.logs());
                    }
                }
                out.flush();
            }
        }

        private static String links(List<ArtifactLink> links, ArtifactLink.Direction direction) {
            String s = links.stream().filter(l -> l.direction() == direction)
                    .map(l -> l.name() + "=" + Formats.shortId(l.artifactId())).collect(Collectors.joining(" "));
            return s.isEmpty() ? "-" : s;
        }
    }
}
