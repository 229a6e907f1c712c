package dev.flywheel.cli.command;

import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.util.List;
import java.util.Locale;

/**
 * The confirm-then-act step of every destructive command ({@code delete}, {@code stop}): with {@code -y} it acts at
 * once; on a terminal it asks and acts only on "y"; without a terminal (a script, a pipe, CI) it refuses, so nothing is
 * destroyed because a script forgot to say so. Either refusal exits non-zero and prints the command to run instead.
 * A command mixes it in ({@code @Mixin Confirmation confirmation}) and calls {@link #require} before it acts.
 */
final class Confirmation {
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Returns when the user agreed to {@code action} (for example "delete service 5d1c... (demand version 3)"); throws
     * otherwise. {@code args} are the command's arguments, to print the command line that would act.
     */
    void require(String action, String... args) {
        if (yes) {
            return;
        }
        String withYes = spec.qualifiedName() + " " + String.join(" ", List.of(args)) + " -y";
        Console console = terminal();
        if (console == null) {
            throw FlywheelException.invalid("refused: pass -y to " + action + " without a terminal to confirm on: " + withYes);
        }
        String answer = console.readLine("%s", capitalized(action) + "? [y/N] ");
        if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
            throw FlywheelException.invalid("cancelled: did not " + action + " (to skip the question: " + withYes + ")");
        }
    }

    /**
     * The console when a person can answer on it, else null. Up to JDK 21 {@code System.console()} is null unless
     * stdin and stdout are a terminal; JDK 22 to 24 return a console for pipes too, and say so with
     * {@code Console.isTerminal()} (not in the Java 21 API this code compiles against, hence the reflection).
     */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Object isTerminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(isTerminal) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console;
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
