package dev.flywheel.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help}, mixed into every command and group of the tree (see {@link CommandTree}). */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help (usage, options, examples) and exit.")
    boolean help;
}
