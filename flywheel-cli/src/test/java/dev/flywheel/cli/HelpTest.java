package dev.flywheel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Help on every command and group of the tree picocli builds (walked, not listed by hand): {@code -h}, {@code --help}
 * and {@code flywheel help ...} print the same usage, options and examples, exit 0 and touch no project; every example
 * parses; a mistake prints one {@code error:} line and a hint whose help command works.
 */
class HelpTest {
    @TempDir
    Path dir;

    /** Every command's path below the root ({@code []} is {@code flywheel} itself). */
    static Stream<List<String>> commands() {
        return CommandTree.walk(CommandTree.forArgs(new String[0])).stream().map(HelpTest::path);
    }

    private static List<String> path(CommandLine c) {
        List<String> names = new ArrayList<>(Arrays.asList(c.getCommandSpec().qualifiedName().split(" ")));
        return names.subList(1, names.size());
    }

    @ParameterizedTest(name = "flywheel {0} --help")
    @MethodSource("commands")
    void everyCommandAnswersHelpWithUsageOptionsAndExamplesWithoutAProject(List<String> path) {
        Path home = dir.resolve("no-project").resolve(".flywheel");
        String name = String.join(" ", concat(List.of("flywheel"), path));
        CliResult help = run(home, concat(path, List.of("--help")));
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: " + name).contains("-h, --help").contains("\nExamples:\n");
        assertThat(run(home, concat(path, List.of("-h")))).isEqualTo(help);
        assertThat(run(home, concat(List.of("help"), path))).isEqualTo(help);
        assertThat(home.getParent()).doesNotExist();

        List<String> examples = examples(help.out());
        assertThat(examples).as("examples of " + name).isNotEmpty();
        for (String example : examples) {
            assertThat(example).as("an example of " + name).startsWith(name);
            String[] args = words(example.substring("flywheel".length()));
            assertThatCode(() -> CommandTree.forArgs(args).parseArgs(args)).as(example).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "flywheel {0}: every option and parameter says what it is")
    @MethodSource("commands")
    void everyOptionAndParameterIsDescribed(List<String> path) {
        CommandLine command = CommandTree.forArgs(path.toArray(String[]::new));
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        CommandSpec spec = command.getCommandSpec();
        assertThat(spec.usageMessage().description()).as(spec.qualifiedName()).isNotEmpty();
        for (ArgSpec arg : spec.args()) {
            if (!arg.hidden()) {
                assertThat(String.join("", arg.description()).strip()).as(spec.qualifiedName() + " " + arg.paramLabel()).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "flywheel {0} --no-such-option")
    @MethodSource("commands")
    void aMistakePrintsOneErrorLineAndAHintWhoseHelpWorks(List<String> path) {
        Path home = dir.resolve("no-project").resolve(".flywheel");
        CliResult wrong = run(home, concat(path, List.of("--no-such-option")));
        assertThat(wrong.exit()).isEqualTo(2);
        List<String> lines = wrong.err().lines().toList();
        assertThat(lines.getFirst()).startsWith("error: ");
        assertThat(wrong.err().toLowerCase(java.util.Locale.ROOT).split("error:", -1)).as(wrong.err()).hasSize(2);
        String hint = lines.getLast();
        assertThat(hint).startsWith("see: flywheel");
        CliResult help = run(home, Arrays.asList(words(hint.substring("see: flywheel".length()))));
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: " + String.join(" ", concat(List.of("flywheel"), path)));
    }

    @Test
    void versionPrintsFlywheelAndJavaWithoutAProjectAndBesideHelpTheHelpWins() {
        Path home = dir.resolve("no-project").resolve(".flywheel");
        for (String option : List.of("--version", "-V")) {
            CliResult version = run(home, List.of(option));
            assertThat(version.exit()).as(version.err()).isZero();
            assertThat(version.err()).isEmpty();
            assertThat(version.out().lines().toList()).hasSize(2).satisfiesExactly(
                    l -> assertThat(l).startsWith("flywheel "),
                    l -> assertThat(l).startsWith("java " + Runtime.version().feature()));
        }
        // --version alone builds no command (start-up time); with --help the usage still lists every command
        CliResult both = run(home, List.of("--version", "--help"));
        assertThat(both.exit()).as(both.err()).isZero();
        assertThat(both.out()).isEqualTo(run(home, List.of("--help")).out()).contains("served-models").contains("runs");
        assertThat(home.getParent()).doesNotExist();
    }

    private static CliResult run(Path home, List<String> args) {
        return CliResult.inProject(home, args.toArray(String[]::new));
    }

    /** The lines under "Examples:", without their indentation. */
    private static List<String> examples(String usage) {
        String tail = usage.substring(usage.indexOf("\nExamples:\n") + "\nExamples:\n".length());
        return tail.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** A command line split into words as a shell would: spaces separate, double quotes group. */
    private static String[] words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
