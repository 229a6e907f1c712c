package dev.flywheel.cli;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/** The {@code flywheel} command: parses, calls the Java API, renders. Exit codes come from {@link ErrorCode}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Used by tests to call the CLI in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = CommandTree.forArgs(args);
        FlywheelCommand root = cli.getCommand();
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof FlywheelException fe) {
                errors.println(error(fe.getMessage()));
                if (root.debug) {
                    fe.printStackTrace(errors);
                }
                errors.flush();
                return fe.code().exitCode();
            }
            errors.println("internal error: " + e + " (this is a bug in Flywheel; run with --debug for the stack trace)");
            if (root.debug) {
                e.printStackTrace(errors);
            }
            errors.flush();
            return ErrorCode.INTERNAL.exitCode();
        });
        cli.setParameterExceptionHandler(Main::parameterError);
        return cli.execute(args);
    }

    /**
     * A command line picocli could not parse. A group named without one of its commands ({@code flywheel models})
     * shows its help, like {@code kubectl config}; anything else is one {@code error:} line, suggestions for a
     * mistyped command, and the help command that shows the right usage.
     */
    private static int parameterError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        if (!command.getSubcommands().isEmpty() && String.valueOf(e.getMessage()).startsWith("Missing required subcommand")) {
            command.usage(command.getOut());
            return 0;
        }
        PrintWriter errors = command.getErr();
        errors.println(error(unknownCommand(e).orElse(e.getMessage())));
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            errors.println("did you mean: " + String.join(" or ", unmatched.getSuggestions()) + "?");
        }
        errors.println("see: " + command.getCommandSpec().qualifiedName() + " --help");
        errors.flush();
        return ErrorCode.INVALID_ARGUMENT.exitCode();
    }

    /** "'modles' is not a flywheel command" rather than picocli's "Unmatched argument at index 0". */
    private static Optional<String> unknownCommand(ParameterException e) {
        CommandLine command = e.getCommandLine();
        if (e instanceof UnmatchedArgumentException unmatched && !command.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return Optional.of("'" + unmatched.getUnmatched().getFirst() + "' is not a " + command.getCommandSpec().qualifiedName()
                    + " command");
        }
        return Optional.empty();
    }

    /** {@code error: } and the message, without a second prefix the message may bring (picocli's {@code Error: }). */
    static String error(String message) {
        String text = message == null ? "" : message.strip();
        while (text.toLowerCase(Locale.ROOT).startsWith("error:")) {
            text = text.substring("error:".length()).strip();
        }
        return "error: " + text;
    }
}
