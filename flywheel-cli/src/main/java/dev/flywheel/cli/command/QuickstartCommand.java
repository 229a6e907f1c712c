package dev.flywheel.cli.command;

import dev.flywheel.cli.quickstart.QuickstartStory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "quickstart", description = "Run the continuous-training story end to end in its own project folder: data arrives in batches, "
        + "the pipeline validates and retrains, every run and model is recorded.")
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "flywheel-quickstart",
            description = "Folder for the quickstart project and its data (default: ${DEFAULT-VALUE}); it is recreated.")
    Path dir;

    @Option(names = "--batches", defaultValue = "6", description = "How many monthly batches of data arrive (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batches < 2 || batches > 24) {
            throw dev.flywheel.sdk.FlywheelException.invalid("--batches must be between 2 and 24, got " + batches);
        }
        return new QuickstartStory(dir.toAbsolutePath().normalize(), batches, seed, spec.commandLine().getOut()).run();
    }
}
