package dev.flywheel.cli.command;

import dev.flywheel.deploy.service.Service;
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

/** {@code flywheel models deploy NAME VERSION|@ALIAS|--stage S}: an ad-hoc deployment through the stack's deployer. */
@Command(name = "deploy",
        footer = {"  flywheel models deploy demand --stage production",
                "  flywheel models deploy demand 4 --replace",
                "  flywheel models deploy demand @champion --port 8080"},
        description = "Deploy a registered model version as a prediction server; prints its UUID and URL.")
public final class ModelsDeployCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME", description = "The registered model.")
    String name;
    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION|@ALIAS", description = "A version number or @alias.")
    String version;
    @Option(names = "--stage", paramLabel = "S", description = "The version in this stage (production, staging).")
    String stage;
    @Option(names = "--replace", description = "Update the server that already serves this model (no downtime) instead of starting another.")
    boolean replace;
    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "The port to listen on (default: a free one).")
    int port;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for the server (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if ((version == null) == (stage == null)) {
            throw FlywheelException.invalid("Give either a VERSION (3 or @alias) or --stage S, not " + (version == null ? "neither" : "both")
                    + "; for example: flywheel models deploy " + name + " --stage production");
        }
        ModelRef ref = stage != null ? ModelRef.stage(name, Stage.parse(stage)) : ModelRef.parse(name, version);
        PrintWriter out = spec.commandLine().getOut();
        try (Flywheel flywheel = Project.existing(spec)) {
            Service s = flywheel.deployments().deploy(ref, replace, port, java.time.Duration.ofSeconds(timeoutSeconds));
            out.println("Service " + s.record().uuid() + " serves " + s.record().modelName() + " version " + s.record().modelVersion());
            out.println("Prediction URL: " + s.predictionUrl());
        }
    }
}
