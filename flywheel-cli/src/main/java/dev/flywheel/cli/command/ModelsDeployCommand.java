package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.deploy.DeployRequest;
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
                "  flywheel models deploy demand 4 --replace --render"},
        description = {"Deploy a registered model version as a prediction server; prints its id and URL.",
                "The server follows what you name: --stage production or @alias (rolled out when the registry moves it), or a version (fixed).",
                "When a server already serves the model: --replace switches it (hot swap), --new starts a second one."})
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
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if ((version == null) == (stage == null)) {
            throw FlywheelException.invalid("Give either a VERSION (3 or @alias) or --stage S, not " + (version == null ? "neither" : "both")
                    + "; for example: flywheel models deploy " + name + " --stage production");
        }
        ModelRef ref = stage != null ? ModelRef.stage(name, Stage.parse(stage)) : ModelRef.parse(name, version);
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
