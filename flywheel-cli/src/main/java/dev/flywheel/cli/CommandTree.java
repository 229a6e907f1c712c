package dev.flywheel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code flywheel} command tree as picocli sees it, with what every command shares added once: {@code -h/--help}
 * on each command and group, and the {@code help} command. Commands are classes with annotations; nothing here is per
 * command.
 */
final class CommandTree {
    private CommandTree() {
    }

    /** The tree for one command line: only the sub-command {@code args} name (start-up time), or all of them. */
    static CommandLine forArgs(String[] args) {
        CommandLine cli = new CommandLine(new FlywheelCommand());
        Subcommands.register(cli, args);
        cli.addSubcommand("help", new HelpCommand());
        addHelpOptions(cli);
        return cli;
    }

    /** Every command in the tree, the root first, parents before their sub-commands. */
    static List<CommandLine> walk(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values());
        }
        return all;
    }

    /** Every command's {@code footer} holds its examples; the heading is written here once. */
    private static void addHelpOptions(CommandLine root) {
        for (CommandLine c : walk(root)) {
            CommandSpec spec = c.getCommandSpec();
            if (spec.findOption("--help") == null) {
                spec.addMixin("help", CommandSpec.forAnnotatedObject(new HelpOption()));
            }
            if (spec.usageMessage().footer().length > 0) {
                spec.usageMessage().footerHeading("%nExamples:%n");
            }
        }
    }
}
