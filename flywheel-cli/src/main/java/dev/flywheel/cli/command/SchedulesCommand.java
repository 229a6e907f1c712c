package dev.flywheel.cli.command;

import dev.flywheel.schedule.SourceViews;
import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.Listed;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.ScheduleDescription;
import dev.flywheel.schedule.ScheduleRecord;
import dev.flywheel.schedule.SourceRef;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.sdk.CatchUp;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "schedules",
        footer = {"  flywheel schedules create demand_cd --interval 14d", "  flywheel schedules list"},
        description = "Schedules: create, list, describe, pause, resume, update, delete.",
        subcommands = {SchedulesCommand.Create.class, SchedulesCommand.ListSchedules.class, SchedulesCommand.Describe.class,
                SchedulesCommand.Pause.class, SchedulesCommand.Resume.class, SchedulesCommand.Update.class, SchedulesCommand.Delete.class})
public final class SchedulesCommand {

    /** --interval or --cron (with --zone). */
    static final class TimingOptions {
        @Option(names = "--interval", paramLabel = "DURATION", description = "Fire every DURATION (30s, 15m, 2h, 14d), anchored at the start.")
        String interval;

        @Option(names = "--cron", paramLabel = "EXPR", description = "Fire at the times of a cron expression (5-field Unix, Quartz, or @daily ...).")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Time zone of --cron (default: ${DEFAULT-VALUE}).")
        String zone;

        Timing timing() {
            if ((interval == null) == (cron == null)) {
                throw FlywheelException.invalid("Give exactly one of --interval DURATION or --cron EXPR");
            }
            if (interval != null) {
                return new Timing.Interval(Durations.parse(interval, "--interval"));
            }
            try {
                return new Timing.Cron(cron, ZoneId.of(zone));
            } catch (java.time.DateTimeException e) {
                throw FlywheelException.invalid("--zone '" + zone + "' is not a time zone; use for example UTC or Europe/Berlin");
            }
        }
    }

    static Instant instant(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw FlywheelException.invalid(option + " '" + text + "' is not an ISO-8601 instant; write for example 2026-05-01T03:00:00Z");
        }
    }

    @Command(name = "create",
            footer = {"  flywheel schedules create demand_cd --interval 14d",
                    "  flywheel schedules create demand_cd --cron \"0 3 * * MON\" --zone Europe/Berlin"},
            description = "Schedule a registered pipeline; a running scheduler picks it up within its poll interval.")
    static final class Create implements Runnable {
        @Parameters(index = "0", paramLabel = "PIPELINE", description = "A registered pipeline (see: flywheel pipelines list).")
        String pipeline;

        @picocli.CommandLine.Mixin
        TimingOptions timing = new TimingOptions();

        @Option(names = "--start", paramLabel = "INSTANT", description = "First possible fire (default: now).")
        String start;

        @Option(names = "--end", paramLabel = "INSTANT", description = "No fires at or after this instant.")
        String end;

        @Option(names = "--catch-up", paramLabel = "POLICY", defaultValue = "LATEST",
                description = "Missed fires after downtime: ALL, LATEST or SKIP (default: ${DEFAULT-VALUE}).")
        CatchUp catchUp;

        @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "1", description = "Runs of this schedule at once (default: ${DEFAULT-VALUE}).")
        int maxConcurrent;

        @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "Config override every run gets. Repeatable.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            String cp = Project.classpath(spec);
            try (Flywheel flywheel = Project.existing(spec)) {
                flywheel.pipelines().get(pipeline);
                Schedule s = new Schedule(timing.timing(), instant(start, "--start"), instant(end, "--end"), catchUp, maxConcurrent);
                ScheduleRecord r = flywheel.schedules().create(pipeline, s, new LaunchSpec(cp, params));
                print(spec.commandLine().getOut(), flywheel.schedules().describe(r.id(), 0), json, "Created schedule ");
            }
        }
    }

    static void print(PrintWriter out, ScheduleDescription d, boolean json, String verb) {
        if (json) {
            Json.print(out, SourceViews.ScheduleView.of(d));
            return;
        }
        ScheduleRecord r = d.schedule();
        out.println(verb + r.id() + " for " + r.pipeline() + ": " + SourceViews.timing(r.schedule().timing())
                + (r.paused() ? " (paused)" : ", next fire " + d.nextFire().map(Formats::time).orElse("never")));
        out.flush();
    }

    @Command(name = "list",
            footer = {"  flywheel schedules list", "  flywheel schedules list --json"},
            description = "List schedules with their next fire and last outcome.")
    static final class ListSchedules implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No schedules. Create one with: flywheel schedules create PIPELINE --interval 1h",
                            "ID", "PIPELINE", "TIMING", "CATCH-UP", "MAX", "STATE", "NEXT FIRE", "LAST FIRE", "LAST OUTCOME")
                    .row((Listed<ScheduleDescription> line) -> switch (line) {
                        case Listed.Readable<ScheduleDescription>(ScheduleDescription d) -> row(d);
                        case Listed.Unreadable<ScheduleDescription>(UnreadableSource u) ->
                                new Object[]{u.id(), u.pipeline(), "?", "-", "-", "broken", "-", "-", "-"};
                    })
                    .json(line -> switch (line) {
                        case Listed.Readable<ScheduleDescription>(ScheduleDescription d) -> SourceViews.ScheduleView.of(d);
                        case Listed.Unreadable<ScheduleDescription>(UnreadableSource u) -> SourceViews.UnreadableView.of(u);
                    })
                    .footer((out, lines) -> ScheduleViews.printProblems(out, "schedule", lines, d -> d.schedule().id(),
                            d -> d.schedule().broken()))
                    .print(spec, json, flywheel -> flywheel.schedules().listedSchedules());
        }

        private static Object[] row(ScheduleDescription d) {
            ScheduleRecord r = d.schedule();
            FireRecord last = d.lastFires().isEmpty() ? null : d.lastFires().getFirst();
            return new Object[]{r.id(), r.pipeline(), SourceViews.timing(r.schedule().timing()), r.schedule().catchUp(),
                    r.schedule().maxConcurrentRuns(), SourceViews.state(r.paused(), r.broken()),
                    d.nextFire().map(Formats::time).orElse("-"), last == null ? "-" : Formats.time(last.fireTime()),
                    last == null ? "-" : last.state().name().toLowerCase() + (last.runId() == null ? "" : " " + Formats.shortId(last.runId()))};
        }
    }

    @Command(name = "describe",
            footer = {"  flywheel schedules describe 7b2e", "  flywheel schedules describe 7b2e -n 30"},
            description = "Show a schedule, its next fire and its last fires with their runs.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id or a unique prefix of it.")
        String id;

        @Option(names = {"-n", "--last"}, defaultValue = "10", description = "How many recent fires to show (default: ${DEFAULT-VALUE}).")
        int last;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ScheduleDescription d = flywheel.schedules().describe(id, Math.max(1, last));
                if (json) {
                    Json.print(out, SourceViews.ScheduleView.of(d));
                    return;
                }
                ScheduleRecord r = d.schedule();
                Schedule s = r.schedule();
                out.println("Schedule:   " + r.id());
                out.println("Pipeline:   " + r.pipeline());
                out.println("Timing:     " + SourceViews.timing(s.timing()));
                out.println("Window:     " + (s.start() == null ? Formats.time(r.createdAt()) : Formats.time(s.start())) + " .. "
                        + (s.end() == null ? "no end" : Formats.time(s.end())));
                out.println("Catch-up:   " + s.catchUp() + ", at most " + s.maxConcurrentRuns() + " run(s) at once");
                out.println("State:      " + SourceViews.state(r.paused(), r.broken()) + (r.broken() == null ? ""
                        : " since " + Formats.time(r.broken().since()) + ": " + r.broken().reason()
                        + "\n            fix it with: flywheel schedules update " + r.id() + " ..., or: flywheel schedules delete " + r.id()));
                out.println("Next fire:  " + d.nextFire().map(Formats::time).orElse("-"));
                out.println("Classpath:  " + (r.launch().classpath().isBlank() ? "(the scheduler's $FLYWHEEL_CLASSPATH)" : r.launch().classpath()));
                if (!r.launch().params().isEmpty()) {
                    out.println("Params:     " + r.launch().params());
                }
                out.println();
                printFires(out, d.lastFires());
            }
        }
    }

    static void printFires(PrintWriter out, List<FireRecord> fires) {
        if (fires.isEmpty()) {
            out.println("No fires yet.");
            out.flush();
            return;
        }
        TextTable t = new TextTable("FIRE TIME", "STATE", "RUN", "LAUNCHED", "LATE", "NOTE");
        for (FireRecord f : fires) {
            t.row(Formats.time(f.fireTime()), f.state().name().toLowerCase(), Formats.shortId(f.runId()), Formats.time(f.launchedAt()),
                    f.launchedAt() == null ? "-" : Formats.duration(f.fireTime(), f.launchedAt()), f.message() == null ? "-" : f.message());
        }
        t.print(out);
    }

    @Command(name = "pause",
            footer = {"  flywheel schedules pause 7b2e"},
            description = "Stop launching a schedule's fires (fires during the pause are not caught up).")
    static final class Pause implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id or a unique prefix of it.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                ScheduleRecord r = flywheel.schedules().pause(id);
                spec.commandLine().getOut().println("Paused schedule " + r.id() + " of " + r.pipeline() + ".");
            }
        }
    }

    @Command(name = "resume",
            footer = {"  flywheel schedules resume 7b2e"},
            description = "Launch a paused schedule's fires again, from now on.")
    static final class Resume implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id or a unique prefix of it.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                ScheduleRecord r = flywheel.schedules().resume(id);
                print(spec.commandLine().getOut(), flywheel.schedules().describe(r.id(), 0), false, "Resumed schedule ");
            }
        }
    }

    @Command(name = "update",
            footer = {"  flywheel schedules update 7b2e --interval 7d", "  flywheel schedules update 7b2e --cron @daily --max-concurrent 2"},
            description = "Change a schedule's timing, window, catch-up policy or concurrency.")
    static final class Update implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id or a unique prefix of it.")
        String id;

        @Option(names = "--interval", paramLabel = "DURATION", description = "New interval (30s, 15m, 2h, 14d); replaces the timing.")
        String interval;

        @Option(names = "--cron", paramLabel = "EXPR", description = "New cron expression; replaces the timing.")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Time zone of --cron (default: ${DEFAULT-VALUE}).")
        String zone;

        @Option(names = "--end", paramLabel = "INSTANT", description = "No fires at or after this instant.")
        String end;

        @Option(names = "--catch-up", paramLabel = "POLICY", description = "Missed fires after downtime: ALL, LATEST or SKIP.")
        CatchUp catchUp;

        @Option(names = "--max-concurrent", paramLabel = "N", description = "Runs of this schedule at once.")
        Integer maxConcurrent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (interval == null && cron == null && end == null && catchUp == null && maxConcurrent == null) {
                throw FlywheelException.invalid("Nothing to update; give --interval, --cron, --end, --catch-up or --max-concurrent");
            }
            try (Flywheel flywheel = Project.existing(spec)) {
                ScheduleRecord r = flywheel.schedules().update(id, s -> {
                    Timing timing = s.timing();
                    if (interval != null || cron != null) {
                        TimingOptions o = new TimingOptions();
                        o.interval = interval;
                        o.cron = cron;
                        o.zone = zone;
                        timing = o.timing();
                    }
                    return new Schedule(timing, s.start(), end != null ? instant(end, "--end") : s.end(),
                            catchUp != null ? catchUp : s.catchUp(), maxConcurrent != null ? maxConcurrent : s.maxConcurrentRuns());
                });
                print(spec.commandLine().getOut(), flywheel.schedules().describe(r.id(), 0), json, "Updated schedule ");
            }
        }
    }

    @Command(name = "delete",
            footer = {"  flywheel schedules delete 7b2e", "  flywheel schedules delete 7b2e -y"},
            description = "Delete a schedule and its fire history (its runs stay).")
    static final class Delete implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id or a unique prefix of it.")
        String id;

        @Mixin
        Confirmation confirmation;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                SourceRef s = flywheel.schedules().scheduleRef(id);
                confirmation.require("delete schedule " + s.id() + " of " + s.pipeline(), id);
                flywheel.schedules().delete(s.id());
                spec.commandLine().getOut().println("Deleted schedule " + s.id() + " of " + s.pipeline() + ".");
            }
        }
    }
}
