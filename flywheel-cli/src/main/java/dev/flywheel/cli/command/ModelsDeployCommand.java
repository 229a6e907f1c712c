package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.deploy.DeployRequest;
import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.RolloutPlan;
import dev.flywheel.deploy.rollout.RolloutRequest;
import dev.flywheel.deploy.ServiceView;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.Stage;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code flywheel models deploy NAME VERSION|@ALIAS|--stage S}: a deployment through the stack's deployer. */
@Command(name = "deploy",
        footer = {"  flywheel models deploy demand --stage production",
                "  flywheel models deploy demand 4 --replace",
                "  flywheel models deploy demand 1 --new --as demand-v1",
                "  flywheel models deploy demand @champion --port 8080",
                "  flywheel models deploy demand 4 --replace --render",
                "  flywheel models deploy demand 5 --canary 10,50,100 --step-duration 30s",
                "  flywheel models deploy demand 5 --canary 10,100 --max-p99 50ms",
                "  flywheel models deploy demand 5 --shadow --duration 10m"},
        description = {"Deploy a registered model version as a prediction server; prints its id and URL.",
                "The server follows what you name: --stage production or @alias (rolled out when the registry moves it), or a version (fixed).",
                "When a server already serves the model: --replace switches it (hot swap), --new starts a second one;",
                "--canary or --shadow serve the version beside it, analysed on live traffic, promoted at the end or rolled back",
                "(see flywheel rollouts)."})
public final class ModelsDeployCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME", description = "The registered model.")
    String name;
    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION|@ALIAS", description = "A version number or @alias.")
    String version;
    @Option(names = "--stage", paramLabel = "S", description = "The version in this stage (production, staging); the server follows the stage.")
    String stage;
    @Option(names = "--replace", description = "Switch the server that serves this model (whichever pipeline or step started it) "
            + "with no downtime, instead of starting another.")
    boolean replace;
    @Option(names = "--service", paramLabel = "ID", description = "The server to switch when several serve the model (id, prefix or name); implies --replace.")
    String service;
    @Option(names = "--new", description = "Start another server beside those that serve the model.")
    boolean startNew;
    @Option(names = "--as", paramLabel = "NAME", description = "Name the new server (e.g. demand-v1), so versions run side by side; implies --new.")
    String serviceName;
    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "The new server's port (default: a free one).")
    int port;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for the server (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
    @Option(names = "--render", description = "Print the manifests a cluster deployer (kserve, seldon, kubernetes) would apply, "
            + "and apply nothing (kubectl apply -f reads them: ... --render > demand.yaml).")
    boolean render;
    @Option(names = "--canary", split = ",", paramLabel = "W,W,...", description = "A canary rollout: the version answers these "
            + "percentages of client keys step by step (e.g. 10,50,100), then is promoted.")
    java.util.List<Integer> canary;
    @Option(names = "--step-duration", paramLabel = "D", defaultValue = "1m", description = "How long each canary step lasts at least "
            + "(default: ${DEFAULT-VALUE}).")
    String stepDuration;
    @Option(names = "--shadow", description = "A shadow rollout: every request is mirrored to the version, its answers compared with the "
            + "champion's and never returned; promoted after --duration.")
    boolean shadow;
    @Option(names = "--duration", paramLabel = "D", defaultValue = "10m", description = "How long a shadow lasts (default: ${DEFAULT-VALUE}).")
    String shadowDuration;
    @Option(names = "--max-error-rate", paramLabel = "P%", defaultValue = "1%", description = "Roll back above this share of failed "
            + "requests of the version (default: ${DEFAULT-VALUE}).")
    String maxErrorRate;
    @Option(names = "--max-p99", paramLabel = "D", description = "Roll back when the version's p99 latency is above this (e.g. 50ms).")
    String maxP99;
    @Option(names = "--max-prediction-drift", paramLabel = "X", description = "Roll back when the version's answers drift from the "
            + "champion's by more than this (shadow: relative mean absolute difference on the same requests; canary: mean difference "
            + "in the champion's standard deviations).")
    Double maxDrift;
    @Option(names = "--analysis-interval", paramLabel = "D", defaultValue = "60s", description = "Time between analyses, at least 10s "
            + "(default: ${DEFAULT-VALUE}).")
    String interval;
    @Option(names = "--failure-limit", paramLabel = "N", defaultValue = "1", description = "Failed analyses that roll back (default: ${DEFAULT-VALUE}).")
    int failureLimit;
    @Option(names = "--min-samples", paramLabel = "N", defaultValue = "50", description = "Requests an analysis needs; fewer pause the "
            + "rollout as inconclusive (default: ${DEFAULT-VALUE}).")
    long minSamples;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    private boolean rollout() {
        return canary != null || shadow;
    }

    private RolloutPlan plan() {
        if (canary != null && shadow) {
            throw FlywheelException.invalid("--canary and --shadow are two kinds of rollout; give one of them");
        }
        if (replace || startNew || serviceName != null || port != 0 || render) {
            throw FlywheelException.invalid("--canary/--shadow run beside the server that serves the model; they take no --replace, --new, "
                    + "--as, --port or --render (pick the server with --service ID)");
        }
        AnalysisConfig analysis = new AnalysisConfig(Durations.parse(interval, "--analysis-interval"), failureLimit, minSamples,
                percentage(maxErrorRate), Durations.parse(maxP99, "--max-p99"), maxDrift);
        return canary != null ? RolloutPlan.canary(canary, Durations.parse(stepDuration, "--step-duration"), analysis)
                : RolloutPlan.shadow(Durations.parse(shadowDuration, "--duration"), analysis);
    }

    /** {@code 1%} or {@code 0.01}. */
    private static double percentage(String text) {
        String t = text.strip();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw FlywheelException.invalid("--max-error-rate '" + text + "' is not a percentage; write for example 1% or 0.01");
        }
    }

    @Override
    public void run() {
        if ((version == null) == (stage == null)) {
            throw FlywheelException.invalid("Give either a VERSION (3 or @alias) or --stage S, not " + (version == null ? "neither" : "both")
                    + "; for example: flywheel models deploy " + name + " --stage production");
        }
        ModelRef ref = stage != null ? ModelRef.stage(name, Stage.parse(stage)) : ModelRef.parse(name, version);
        if (rollout()) {
            RolloutRequest rolloutRequest = new RolloutRequest(ref, plan(), service);
            try (Flywheel flywheel = Project.existing(spec)) {
                RolloutsCommand.print(spec.commandLine().getOut(), json, flywheel.rollouts().start(rolloutRequest));
            }
            return;
        }
        DeployRequest request = new DeployRequest(ref, replace, service, startNew, serviceName, port, Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        try (Flywheel flywheel = Project.existing(spec)) {
            if (render) {
                String manifests = flywheel.deployments().render(request);
                if (json) {
                    Json.print(out, ServiceJson.MAPPER.createObjectNode().put("manifests", manifests));
                } else {
                    out.print(manifests);
                    out.flush();
                }
                return;
            }
            Service s = flywheel.deployments().deploy(request);
            ServiceView view = flywheel.deployments().view(s);
            if (json) {
                Json.print(out, ServiceJson.record(view.record()));
                return;
            }
            out.println("Service " + s.record().label() + (s.record().name() == null ? "" : " (" + s.record().uuid() + ")") + " serves "
                    + s.record().modelName() + " version " + s.record().modelVersion() + ", following " + ServedModelsCommand.follows(view) + ".");
            out.println("Prediction URL: " + s.predictionUrl());
        }
    }
}
