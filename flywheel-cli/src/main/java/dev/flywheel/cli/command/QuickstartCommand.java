package dev.flywheel.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "quickstart", description = "Run the example pipeline end to end in a fresh project folder and show what was recorded.")
public final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("quickstart: not yet wired");
        return 0;
    }
}
