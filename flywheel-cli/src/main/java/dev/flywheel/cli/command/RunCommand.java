package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.CiReport;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.LaunchReasonJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run",
        footer = {"  flywheel run demand_forecast",
                "  flywheel run demand_cd --stack staging --report report.md",
                "  flywheel run demand_cd -p train_xgboost.rounds=100 --no-cache",
                "  flywheel run training --classpath target/classes:target/lib/*",
                "  flywheel run demand_forecast --stack k8s --render"},
        description = "Run a registered pipeline now and record the run.")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline's name (see: flywheel pipelines list).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "Override a step config field: STEP.FIELD=VALUE, or FIELD=VALUE for every step that has it. Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--no-cache", description = "Run every step, even when a cached result exists.")
    boolean noCache;

    @Option(names = "--trigger", hidden = true, description = "Why the run starts (set by the scheduler).", defaultValue = "manual")
    String trigger;

    @Option(names = "--fire-id", hidden = true, description = "The scheduler's fire that launches this run (set by the scheduler).")
    String fireId;

    @Option(names = "--launch-reason", hidden = true, description = "Why the run starts, as LaunchReason JSON (set by the scheduler).")
    String launchReason;

    @Option(names = "--stack", paramLabel = "NAME", description = "Run on this stack (default: the active stack).")
    String stack;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write a Markdown report for a pull-request comment (code version, validation, drift, metrics beside production's,"
                    + " the gate's decision, what a merge deploys). With a report, a gate rejection exits 20.")
    java.nio.file.Path report;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the same report as JSON.")
    java.nio.file.Path reportJson;

    @Option(names = "--baseline-stack", paramLabel = "NAME",
            description = "The stack whose production version the gate must beat, read from its own stores (default with a report:"
                    + " 'production' when that stack exists and is not the run's).")
    String baselineStack;

    @Option(names = "--parallelism", paramLabel = "N", description = "At most N steps at once (default: the number of cores, at least 2).")
    Integer parallelism;

    @Option(names = "--render", description = "Print the manifests the stack's orchestrator would apply for this run (kubernetes:"
            + " one Job per step, in dependency order), running and recording nothing.")
    boolean render;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parallelism != null && parallelism < 1) {
            throw FlywheelException.invalid("--parallelism must be at least 1, got " + parallelism);
        }
        boolean reporting = report != null || reportJson != null;
        String baseline = baselineStack != null ? baselineStack : reporting ? "production" : null;
        try (Flywheel flywheel = Project.forRunning(spec, parallelism, stack, baseline, baselineStack != null)) {
            Pipeline pipeline = flywheel.pipelines().get(name);
            RunOptions options = new RunOptions(params, !noCache, trigger)
                    .withLaunch(launchReason == null ? new LaunchReason.Manual() : LaunchReasonJson.read(launchReason), fireId);
            if (render) {
                String manifests = flywheel.runs().render(pipeline, options);
                if (json) {
                    Json.print(out, Map.of("pipeline", name, "manifests", manifests));
                } else {
                    out.print(manifests);
                    out.flush();
                }
                return 0;
            }
            flywheel.failAbandonedRuns();
            RunResult result = flywheel.run(pipeline, options, json ? dev.flywheel.sdk.RunListener.NONE : new ProgressPrinter(err));
            if (json) {
                Json.print(out, result);
            } else {
                long cached = result.steps().stream().filter(s -> s.status() == StepStatus.CACHED).count();
                out.printf("Run %s of %s %s in %s (%d steps, %d cached)%n", Formats.shortId(result.runId()), result.pipeline(),
                        result.succeeded() ? "succeeded" : "FAILED", Formats.duration(result.duration()), result.steps().size(), cached);
                if (!result.succeeded()) {
                    out.println("  " + result.error());
                    out.println("  details: flywheel runs describe " + Formats.shortId(result.runId()) + " --logs");
                }
                out.flush();
            }
            if (reporting) {
                CiReport r = flywheel.ciReport(result.runId());
                ReportFiles.write(report, reportJson, r);
                if (r.outcome() == CiReport.Outcome.REJECTED) {
                    throw new FlywheelException(ErrorCode.GATE_REJECTED, "The deployment gate rejected version " + r.gate().candidateVersion()
                            + " of " + r.gate().model() + ": " + r.gate().reason() + (report != null ? "; see " + report : ""));
                }
            }
            if (!result.succeeded()) {
                throw new FlywheelException(ErrorCode.RUN_FAILED, "run " + result.runId() + " of pipeline " + name + " failed");
            }
            return 0;
        }
    }
}
