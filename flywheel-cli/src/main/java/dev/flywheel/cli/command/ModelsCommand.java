package dev.flywheel.cli.command;

import picocli.CommandLine.Command;

/** Registered models; the deploy verb lives here (the registry's verbs join it). */
@Command(name = "models", description = "Registered models: deploy a version.", subcommands = {ModelsDeployCommand.class})
public final class ModelsCommand {
}
