package dev.flywheel.cli;

import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code flywheel help [COMMAND [SUBCOMMAND...]]}: the same help as {@code flywheel COMMAND SUBCOMMAND --help}, at any
 * depth (picocli's own help command stops at the first level).
 */
@Command(name = "help", description = "Show the help of a command: flywheel help models import is flywheel models import --help.",
        footer = {"  flywheel help run", "  flywheel help served-models list"})
final class HelpCommand implements Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its sub-commands, as you would type them.")
    List<String> path = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandLine command = spec.root().commandLine();
        for (String name : path) {
            CommandLine next = command.getSubcommands().get(name);
            if (next == null) {
                throw FlywheelException.invalid("'" + name + "' is not a command of " + command.getCommandSpec().qualifiedName()
                        + "; its commands: " + String.join(", ", command.getSubcommands().keySet()));
            }
            command = next;
        }
        command.usage(spec.commandLine().getOut());
    }
}
