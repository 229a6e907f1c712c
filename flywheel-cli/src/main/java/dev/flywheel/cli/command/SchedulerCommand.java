package dev.flywheel.cli.command;

import dev.flywheel.cli.Main;
import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.daemon.Heartbeat;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.schedule.daemon.SchedulerConfig;
import dev.flywheel.schedule.daemon.SchedulerDaemon;
import dev.flywheel.schedule.daemon.SchedulerHealth;
import dev.flywheel.schedule.daemon.SchedulerStatus;
import dev.flywheel.schedule.plan.CatchUpPlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "scheduler",
        footer = {"  flywheel scheduler start", "  flywheel scheduler status"},
        description = "The scheduler daemon: launches scheduled and triggered runs as child processes.",
        subcommands = {SchedulerCommand.Start.class, SchedulerCommand.Stop.class, SchedulerCommand.Status.class, SchedulerCommand.Foreground.class})
public final class SchedulerCommand {
    /** The daemon is mostly asleep: small heap, C1 only; its log shows its own state changes (INFO), libraries WARN. */
    static final List<String> DAEMON_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.log.dev.flywheel.schedule=info");
    static final List<String> RUN_JVM = List.of("-XX:+UseParallelGC");

    /** Options shared by start and run. */
    static final class Settings {
        @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s",
                description = "How often triggers are checked and schedules re-read (default: ${DEFAULT-VALUE}).")
        String pollInterval;

        @Option(names = "--webhook-port", paramLabel = "PORT", defaultValue = "0",
                description = "Webhook endpoint port on 127.0.0.1; 0 = any free port (written to .flywheel/scheduler/webhook.port), -1 = none.")
        int webhookPort;

        @Option(names = "--misfire-threshold", paramLabel = "DURATION", defaultValue = "1m",
                description = "How late a fire may be seen and still count as on time (default: ${DEFAULT-VALUE}).")
        String misfireThreshold;

        @Option(names = "--state-dir", paramLabel = "DIR", hidden = true, description = "Folder for logs and the port file (default: .flywheel/scheduler).")
        Path stateDir;

        /** These options again, for the daemon's own command line. */
        List<String> args() {
            List<String> a = new ArrayList<>(List.of("--poll-interval", pollInterval, "--webhook-port", Integer.toString(webhookPort),
                    "--misfire-threshold", misfireThreshold));
            if (stateDir != null) {
                a.addAll(List.of("--state-dir", stateDir.toAbsolutePath().toString()));
            }
            return a;
        }

        SchedulerConfig config(Path defaultDir) {
            Duration threshold = Durations.parse(misfireThreshold, "--misfire-threshold");
            return new SchedulerConfig(stateDir != null ? stateDir.toAbsolutePath() : defaultDir, Durations.parse(pollInterval, "--poll-interval"),
                    webhookPort, new CatchUpPlanner(threshold, 100, 1000), Duration.ofMinutes(5));
        }
    }

    @Command(name = "start",
            footer = {"  flywheel scheduler start", "  flywheel scheduler start --webhook-port 8765 --poll-interval 5s"},
            description = "Start the scheduler in the background (pid and log in .flywheel/scheduler/).")
    static final class Start implements Runnable {
        @picocli.CommandLine.Mixin
        Settings settings = new Settings();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            SchedulerStatus status;
            try (Flywheel flywheel = Project.existing(spec)) {
                SchedulerDaemon daemon = flywheel.schedulerDaemon();
                List<String> command = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), DAEMON_JVM, Main.class.getName()));
                command.addAll(List.of("--home", flywheel.home().dir().toString(), "scheduler", "run", "--daemon"));
                command.addAll(settings.args());
                settings.config(daemon.dir()); // bad settings are refused here, before anything starts
                status = daemon.start(command, SchedulerDaemon.START_TIMEOUT);
            }
            Status.print(spec.commandLine().getOut(), status, json);
        }
    }

    @Command(name = "stop",
            footer = {"  flywheel scheduler stop"},
            description = "Stop the background scheduler (runs it launched finish on their own).")
    static final class Stop implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Optional<Long> stopped;
            try (Flywheel flywheel = Project.existing(spec)) {
                stopped = flywheel.schedulerDaemon().stop(SchedulerDaemon.STOP_GRACE);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stopped", stopped.isPresent());
                m.put("pid", stopped.orElse(null));
                Json.print(out, m);
            } else {
                out.println(stopped.map(pid -> "Scheduler stopped (pid " + pid + ").").orElse("The scheduler is not running."));
            }
        }
    }

    @Command(name = "status",
            footer = {"  flywheel scheduler status", "  flywheel scheduler status --json"},
            description = "Show whether the scheduler runs, its pid, webhook port and log.")
    static final class Status implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            SchedulerStatus status;
            try (Flywheel flywheel = Project.existing(spec)) {
                status = flywheel.schedulerDaemon().status();
            }
            print(spec.commandLine().getOut(), status, json);
        }

        static void print(PrintWriter out, SchedulerStatus status, boolean json) {
            if (json) {
                Json.print(out, json(status));
                return;
            }
            if (!status.running()) {
                out.println("The scheduler is not running. Start it with: flywheel scheduler start");
                out.flush();
                return;
            }
            out.println("Scheduler running: pid " + status.pid().orElseThrow() + ", since " + Formats.time(status.startedAt().orElse(Instant.EPOCH)));
            out.println("Loop:      " + loop(status.health()));
            int broken = switch (status.health()) {
                case SchedulerHealth.Live l -> l.beat().broken();
                case SchedulerHealth.Failing f -> f.beat().broken();
                case SchedulerHealth.Stuck s -> s.beat() == null ? 0 : s.beat().broken();
                case SchedulerHealth.Stopped s -> 0;
            };
            if (broken > 0) {
                out.println("Broken:    " + broken + " schedule(s) or trigger(s) skipped; see: flywheel schedules list, flywheel triggers list");
            }
            out.println("Webhooks:  " + status.webhookPort().map(port -> "http://127.0.0.1:" + port + "/hooks/TRIGGER_ID").orElse("off"));
            out.println("Log:       " + status.log());
            out.flush();
        }

        private static String loop(SchedulerHealth health) {
            return switch (health) {
                case SchedulerHealth.Live l -> "live: last pass " + (l.lastPassAge() == null ? "-" : SchedulerHealth.seconds(l.lastPassAge()) + " ago")
                        + " (took " + l.beat().lastPassMillis() + " ms), heartbeat " + SchedulerHealth.seconds(l.beatAge())
                        + " ago; passes at least every " + SchedulerHealth.seconds(Duration.ofMillis(l.beat().pollIntervalMillis()));
                case SchedulerHealth.Failing f -> "FAILING for " + SchedulerHealth.seconds(f.failingFor()) + ", retrying every "
                        + SchedulerHealth.seconds(Duration.ofMillis(f.beat().pollIntervalMillis())) + ": " + f.beat().lastError();
                case SchedulerHealth.Stuck s -> "STUCK: " + s.why() + (s.beat() != null && s.beat().lastError() != null
                        ? "; last error: " + s.beat().lastError() : "") + ". See the log; restart it with: flywheel scheduler stop && flywheel scheduler start";
                case SchedulerHealth.Stopped s -> "stopped";
            };
        }

        private static Map<String, Object> json(SchedulerStatus status) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("running", status.running());
            m.put("pid", status.pid().orElse(null));
            m.put("startedAt", status.startedAt().orElse(null));
            m.put("state", switch (status.health()) {
                case SchedulerHealth.Live l -> "live";
                case SchedulerHealth.Failing f -> "failing";
                case SchedulerHealth.Stuck s -> "stuck";
                case SchedulerHealth.Stopped s -> "stopped";
            });
            Heartbeat beat = switch (status.health()) {
                case SchedulerHealth.Live l -> l.beat();
                case SchedulerHealth.Failing f -> f.beat();
                case SchedulerHealth.Stuck s -> s.beat();
                case SchedulerHealth.Stopped s -> null;
            };
            Instant now = Instant.now();
            m.put("heartbeatAt", beat == null ? null : beat.beatAt());
            m.put("heartbeatAgeMs", beat == null ? null : Math.max(0, Duration.between(beat.beatAt(), now).toMillis()));
            m.put("lastPassAt", beat == null ? null : beat.lastPassAt());
            m.put("lastPassAgeMs", beat == null || beat.lastPassAt() == null ? null : Math.max(0, Duration.between(beat.lastPassAt(), now).toMillis()));
            m.put("lastPassMs", beat == null ? null : beat.lastPassMillis());
            m.put("pollIntervalMs", beat == null ? null : beat.pollIntervalMillis());
            m.put("failingSince", beat == null ? null : beat.failingSince());
            m.put("lastError", beat == null ? null : beat.lastError());
            m.put("stuckReason", status.health() instanceof SchedulerHealth.Stuck s ? s.why() : null);
            m.put("broken", beat == null ? null : beat.broken());
            m.put("webhookPort", status.webhookPort().orElse(null));
            m.put("log", status.log().toString());
            return m;
        }
    }

    @Command(name = "run",
            footer = {"  flywheel scheduler run"},
            description = "Run the scheduler in the foreground until stopped (what 'start' runs in the background).")
    static final class Foreground implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Mixin
        Settings settings = new Settings();

        @Option(names = "--daemon", hidden = true, description = "Hold the pid file (as the background daemon).")
        boolean daemon;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Flywheel flywheel = Project.existing(spec);
            List<String> cli = ProcessRunLauncher.cliCommand(System.getenv(), RUN_JVM, Main.class.getName());
            flywheel.runScheduler(settings.config(flywheel.schedulerDaemon().dir()), cli, daemon);
            return 0;
        }
    }
}
