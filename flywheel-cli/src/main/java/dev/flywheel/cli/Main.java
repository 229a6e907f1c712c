package dev.flywheel.cli;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code flywheel} command: parses, calls the Java API, renders. Exit codes come from {@link ErrorCode}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Used by tests to call the CLI in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        FlywheelCommand root = new FlywheelCommand();
        CommandLine cli = new CommandLine(root);
        Subcommands.register(cli, args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof FlywheelException fe) {
                errors.println("error: " + fe.getMessage());
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
        cli.setParameterExceptionHandler((e, params) -> {
            PrintWriter errors = e.getCommandLine().getErr();
            errors.println("error: " + e.getMessage());
            errors.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            errors.flush();
            return ErrorCode.INVALID_ARGUMENT.exitCode();
        });
        return cli.execute(args);
    }
}
