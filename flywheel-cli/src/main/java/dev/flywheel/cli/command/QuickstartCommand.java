package dev.flywheel.cli.command;

import dev.flywheel.cli.quickstart.QuickstartStory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "quickstart",
        footer = {"  flywheel quickstart", "  flywheel quickstart --dir /tmp/qs --batches 12"},
        description = "The whole continuous training and deployment loop in one command: data arrives month by month, the pipeline "
        + "retrains, the gate deploys better models to a live prediction server without downtime, bad data is stopped.")
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "flywheel-quickstart",
            description = "Folder for the quickstart project and its data (default: ${DEFAULT-VALUE}); it is recreated.")
    Path dir;

    @Option(names = "--batches", defaultValue = "8", description = "How many monthly batches of data arrive (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--data", paramLabel = "CSV", description = "Replay a real CSV month by month instead of generated data "
            + "(the bike-sharing hour.csv layout: dteday, cnt, ...).")
    Path data;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batches < 2 || batches > 24) {
            throw dev.flywheel.sdk.FlywheelException.invalid("--batches must be between 2 and 24, got " + batches);
        }
        QuickstartStory.Result result = new QuickstartStory(dir.toAbsolutePath().normalize(), batches, seed, data, spec.commandLine().getOut()).run();
        if (result.requestsFailed() > 0) {
            throw new dev.flywheel.sdk.FlywheelException(dev.flywheel.sdk.ErrorCode.DEPLOY_FAILED, result.requestsFailed()
                    + " live requests failed during the quickstart; that is a bug: please report it with the server log (flywheel served-models logs ID)");
        }
        return 0;
    }
}
