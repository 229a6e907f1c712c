package dev.flywheel.cli.command;

import dev.flywheel.schedule.SourceViews;
import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.Listed;
import dev.flywheel.schedule.TriggerDescription;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.SourceRef;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.sdk.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "triggers",
        footer = {"  flywheel triggers create folder demand_forecast --folder data/incoming",
                "  flywheel triggers list"},
        description = "Data-arrival, webhook, pipeline-finished, drift and performance triggers: create, list, describe, pause, resume, delete.",
        subcommands = {TriggersCommand.Create.class, TriggersCommand.ListTriggers.class, TriggersCommand.Describe.class,
                TriggersCommand.Pause.class, TriggersCommand.Resume.class, TriggersCommand.Delete.class})
public final class TriggersCommand {

    /** What every trigger has: the pipeline and how to launch it. */
    static final class Common {
        @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline to run.")
        String pipeline;

        @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "Config override every run gets. Repeatable.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "1", description = "Runs of this trigger at once (default: ${DEFAULT-VALUE}).")
        int maxConcurrent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        TriggerRecord create(CommandSpec spec, TriggerSpec trigger) {
            String cp = Project.classpath(spec);
            try (Flywheel flywheel = Project.existing(spec)) {
                flywheel.pipelines().get(pipeline);
                TriggerRecord t = flywheel.schedules().createTrigger(pipeline, trigger, new LaunchSpec(cp, params), maxConcurrent);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Json.print(out, SourceViews.TriggerView.of(t, List.of()));
                } else {
                    out.println("Created " + t.spec().kind() + " trigger " + t.id() + " for " + t.pipeline() + ": " + SourceViews.condition(t.spec()));
                    out.flush();
                }
                return t;
            }
        }
    }

    @Command(name = "create",
            footer = {"  flywheel triggers create folder demand_forecast --folder data/incoming",
                    "  flywheel triggers create pipeline deploy_report --after demand_cd",
                    "  flywheel triggers create drift demand_cd --model demand --window 6h",
                    "  flywheel triggers create performance t --model m --metric rmse --window 1d"},
            description = "Create a trigger: folder, rows, webhook, pipeline, drift or performance.",
            subcommands = {Folder.class, Rows.class, Webhook.class, PipelineFinished.class, Drift.class, Performance.class})
    static final class Create {
    }

    @Command(name = "folder",
            footer = {"  flywheel triggers create folder demand_forecast --folder data/incoming",
                    "  flywheel triggers create folder demand_cd --folder in --glob \"*.csv\""},
            description = "Run when new or changed files matching a glob arrive in a folder; the run gets them as a parameter.")
    static final class Folder implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--folder", required = true, paramLabel = "DIR", description = "The folder to watch.")
        Path folder;

        @Option(names = "--glob", defaultValue = "*", paramLabel = "GLOB", description = "Files to watch, relative to the folder (default: ${DEFAULT-VALUE}; **/*.csv for sub-folders).")
        String glob;

        @Option(names = "--min-files", defaultValue = "1", paramLabel = "N", description = "Fire once at least N new files arrived (default: ${DEFAULT-VALUE}).")
        int minFiles;

        @Option(names = "--min-bytes", defaultValue = "0", paramLabel = "N", description = "... and together hold at least N bytes (default: ${DEFAULT-VALUE}).")
        long minBytes;

        @Option(names = "--debounce", defaultValue = "30s", paramLabel = "DURATION", description = "Files must be unchanged this long (default: ${DEFAULT-VALUE}).")
        String debounce;

        @Option(names = "--files-param", defaultValue = "files", paramLabel = "NAME",
                description = "The parameter that receives the new files as a JSON array of absolute paths (default: ${DEFAULT-VALUE}).")
        String filesParam;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            common.create(spec, new TriggerSpec.Folder(folder.toAbsolutePath().normalize().toString(), glob, minFiles, minBytes,
                    Durations.parse(debounce, "--debounce"), filesParam));
        }
    }

    @Command(name = "rows",
            footer = {"  flywheel triggers create rows demand_cd --jdbc-url jdbc:sqlite:a.db --table t",
                    "  flywheel triggers create rows demand_cd --jdbc-url $DB --table t --min-rows 50"},
            description = "Run when a table in a JDBC database grew by at least N rows.")
    static final class Rows implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--jdbc-url", required = true, paramLabel = "URL", description = "The database, as a JDBC URL.")
        String url;

        @Option(names = "--table", required = true, paramLabel = "TABLE", description = "The table whose rows are counted.")
        String table;

        @Option(names = "--min-rows", defaultValue = "1", paramLabel = "N", description = "Fire once the table grew by at least N rows (default: ${DEFAULT-VALUE}).")
        long minRows;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            common.create(spec, new TriggerSpec.RowCount(url, table, minRows));
        }
    }

    @Command(name = "webhook",
            footer = {"  flywheel triggers create webhook demand_cd", "  flywheel triggers create webhook demand_cd --secret \"$HOOK_SECRET\""},
            description = "Run on a signed POST to the scheduler's /hooks/ID (GitHub-style X-Hub-Signature-256).")
    static final class Webhook implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--secret", paramLabel = "SECRET", description = "Shared secret, at least 16 characters (default: a random one, printed once).")
        String secret;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            String s = secret != null ? secret : Schedules.newSecret();
            TriggerRecord t = common.create(spec, new TriggerSpec.Webhook(s));
            if (!common.json && secret == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Secret (shown once; configure it at the sender): " + s);
                out.println("Endpoint: POST http://127.0.0.1:PORT/hooks/" + t.id() + " (PORT: flywheel scheduler status)");
                out.flush();
            }
        }
    }

    @Command(name = "pipeline",
            footer = {"  flywheel triggers create pipeline deploy_report --after demand_cd",
                    "  flywheel triggers create pipeline alert --after demand_cd --on FAILED"},
            description = "Run when another pipeline's run finishes (by default: succeeds).")
    static final class PipelineFinished implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--after", required = true, paramLabel = "UPSTREAM", description = "The pipeline whose finished runs fire this trigger.")
        String upstream;

        @Option(names = "--on", split = ",", paramLabel = "STATUS", description = "SUCCEEDED and/or FAILED (default: SUCCEEDED).")
        List<RunStatus> on = List.of(RunStatus.SUCCEEDED);

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            common.create(spec, new TriggerSpec.PipelineFinished(upstream, EnumSet.copyOf(on)));
        }
    }

    @Command(name = "drift",
            footer = {"  flywheel triggers create drift demand_cd --model demand --window 6h",
                    "  flywheel triggers create drift d_cd --model m --window 1d --share 0.3"},
            description = {"Run when a deployed model's live inputs drift from its training data: over the requests logged in the last --window,"
                    + " at least --share of the columns drift (the drift tests of flywheel monitor report)."})
    static final class Drift implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The registered model whose prediction logs are read.")
        String model;

        @Option(names = "--window", required = true, paramLabel = "DURATION", description = "How far back logged requests are compared, e.g. 6h.")
        String window;

        @Option(names = "--share", defaultValue = "0.5", paramLabel = "0..1", description = "Share of columns that must drift (default: ${DEFAULT-VALUE}, Evidently's).")
        double share;

        @Option(names = "--min-rows", defaultValue = "100", paramLabel = "N", description = "Judge only with at least N logged rows (default: ${DEFAULT-VALUE}).")
        long minRows;

        @Option(names = "--cooldown", paramLabel = "DURATION", description = "No second fire within this time (default: the window).")
        String cooldown;

        @Option(names = "--check-every", defaultValue = "1m", paramLabel = "DURATION", description = "How often the logs are read (default: ${DEFAULT-VALUE}).")
        String checkEvery;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Duration w = Durations.parse(window, "--window");
            common.create(spec, new TriggerSpec.Drift(model, w, share, minRows, cooldown == null ? w : Durations.parse(cooldown, "--cooldown"),
                    Durations.parse(checkEvery, "--check-every")));
        }
    }

    @Command(name = "performance",
            footer = {"  flywheel triggers create performance t --model m --metric rmse --window 1d",
                    "  flywheel triggers create performance c --model m --metric f1 --window 7d"},
            description = {"Run when a deployed model's live metric crosses a threshold once ground truth arrived (flywheel monitor labels):"
                    + " --above for errors (rmse, mae, mape), --below for scores (accuracy, precision, recall, f1, roc_auc)."})
    static final class Performance implements Runnable {
        @Mixin
        Common common = new Common();

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Option(names = "--metric", required = true, paramLabel = "METRIC", description = "rmse, mae, mape, accuracy, precision, recall, f1 or roc_auc.")
        String metric;

        @Option(names = "--above", paramLabel = "X", description = "Fire when the metric is above X.")
        Double above;

        @Option(names = "--below", paramLabel = "X", description = "Fire when the metric is below X.")
        Double below;

        @Option(names = "--window", required = true, paramLabel = "DURATION", description = "How far back labelled predictions are taken, e.g. 1d.")
        String window;

        @Option(names = "--min-labels", defaultValue = "200", paramLabel = "N", description = "Judge only with at least N labelled predictions (default: ${DEFAULT-VALUE}).")
        long minLabels;

        @Option(names = "--cooldown", paramLabel = "DURATION", description = "No second fire within this time (default: the window).")
        String cooldown;

        @Option(names = "--check-every", defaultValue = "1m", paramLabel = "DURATION", description = "How often logs and labels are read (default: ${DEFAULT-VALUE}).")
        String checkEvery;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Duration w = Durations.parse(window, "--window");
            common.create(spec, new TriggerSpec.Performance(model, metric, above, below, w, minLabels,
                    cooldown == null ? w : Durations.parse(cooldown, "--cooldown"), Durations.parse(checkEvery, "--check-every")));
        }
    }

    @Command(name = "list",
            footer = {"  flywheel triggers list", "  flywheel triggers list --json"},
            description = "List triggers.")
    static final class ListTriggers implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No triggers. Create one with: flywheel triggers create folder PIPELINE --folder DIR --glob '*.csv'",
                            "ID", "PIPELINE", "KIND", "CONDITION", "STATE", "LAST FIRE", "LAST OUTCOME")
                    .row((Listed<TriggerDescription> line) -> switch (line) {
                        case Listed.Readable<TriggerDescription>(TriggerDescription d) -> row(d);
                        case Listed.Unreadable<TriggerDescription>(UnreadableSource u) ->
                                new Object[]{u.id(), u.pipeline(), u.kind(), "?", "broken", "-", "-"};
                    })
                    .json(line -> switch (line) {
                        case Listed.Readable<TriggerDescription>(TriggerDescription d) -> SourceViews.TriggerView.of(d.trigger(), d.lastFires());
                        case Listed.Unreadable<TriggerDescription>(UnreadableSource u) -> SourceViews.UnreadableView.of(u);
                    })
                    .footer((out, lines) -> ScheduleViews.printProblems(out, "trigger", lines, d -> d.trigger().id(),
                            d -> d.trigger().broken()))
                    .print(spec, json, flywheel -> flywheel.schedules().listedTriggers());
        }

        private static Object[] row(TriggerDescription d) {
            TriggerRecord t = d.trigger();
            List<FireRecord> last = d.lastFires();
            return new Object[]{t.id(), t.pipeline(), t.spec().kind(), SourceViews.condition(t.spec()), SourceViews.state(t.paused(), t.broken()),
                    last.isEmpty() ? "-" : Formats.time(last.getFirst().fireTime()),
                    last.isEmpty() ? "-" : last.getFirst().state().name().toLowerCase() + " " + last.getFirst().trigger()};
        }
    }

    @Command(name = "describe",
            footer = {"  flywheel triggers describe 1a9f"},
            description = "Show a trigger and its last fires with their runs.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Trigger id or a unique prefix of it.")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                TriggerRecord t = flywheel.schedules().trigger(id);
                List<FireRecord> fires = flywheel.schedules().fires(t.id(), 10);
                if (json) {
                    Json.print(out, SourceViews.TriggerView.of(t, fires));
                    return;
                }
                out.println("Trigger:    " + t.id() + " (" + t.spec().kind() + ")");
                out.println("Pipeline:   " + t.pipeline());
                out.println("Condition:  " + SourceViews.condition(t.spec()));
                out.println("State:      " + SourceViews.state(t.paused(), t.broken()) + ", at most " + t.maxConcurrentRuns() + " run(s) at once"
                        + (t.broken() == null ? "" : "\n            broken since " + Formats.time(t.broken().since()) + ": " + t.broken().reason()
                        + "\n            fix the cause, then: flywheel triggers resume " + t.id()));
                out.println();
                SchedulesCommand.printFires(out, fires);
            }
        }
    }

    @Command(name = "pause",
            footer = {"  flywheel triggers pause 1a9f"},
            description = "Stop a trigger from firing.")
    static final class Pause implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Trigger id or a unique prefix of it.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                spec.commandLine().getOut().println("Paused trigger " + flywheel.schedules().pauseTrigger(id).id() + ".");
            }
        }
    }

    @Command(name = "resume",
            footer = {"  flywheel triggers resume 1a9f"},
            description = "Let a paused trigger fire again.")
    static final class Resume implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Trigger id or a unique prefix of it.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                spec.commandLine().getOut().println("Resumed trigger " + flywheel.schedules().resumeTrigger(id).id() + ".");
            }
        }
    }

    @Command(name = "delete",
            footer = {"  flywheel triggers delete 1a9f", "  flywheel triggers delete 1a9f -y"},
            description = "Delete a trigger and its fire history (its runs stay).")
    static final class Delete implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Trigger id or a unique prefix of it.")
        String id;

        @Mixin
        Confirmation confirmation;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                SourceRef t = flywheel.schedules().triggerRef(id);
                confirmation.require("delete " + t.kind() + " trigger " + t.id() + " of " + t.pipeline(), id);
                spec.commandLine().getOut().println("Deleted trigger " + flywheel.schedules().deleteTrigger(t.id()).id() + ".");
            }
        }
    }
}
