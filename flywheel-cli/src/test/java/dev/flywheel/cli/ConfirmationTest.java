package dev.flywheel.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The confirm-then-act flow of destructive commands: refused without -y and without a terminal (exit 2, nothing
 * deleted, the command with -y printed); on a real terminal (a pseudo-terminal from util-linux {@code script}) "y"
 * acts and anything else cancels. Served-model stop/delete refusals are checked on a live server in QuickstartTest.
 */
class ConfirmationTest {
    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @BeforeEach
    void init() {
        assertThat(flywheel("init").exit()).isZero();
    }

    @Test
    void deletingTriggersAndSchedulesWithoutATerminalIsRefusedUnlessDashY() throws IOException {
        String trigger = trigger();
        CliResult refused = flywheel("triggers", "delete", trigger.substring(0, 6));
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: refused: pass -y to delete folder trigger " + trigger + " of hello")
                .contains("flywheel triggers delete " + trigger.substring(0, 6) + " -y");
        assertThat(flywheel("triggers", "list").out()).contains(trigger);
        assertThat(flywheel("triggers", "delete", trigger, "--yes").out()).contains("Deleted trigger " + trigger);
        assertThat(flywheel("triggers", "list").out()).doesNotContain(trigger);

        String schedule = schedule();
        CliResult scheduleRefused = flywheel("schedules", "delete", schedule);
        assertThat(scheduleRefused.exit()).isEqualTo(2);
        assertThat(scheduleRefused.err()).contains("refused: pass -y to delete schedule " + schedule);
        assertThat(flywheel("schedules", "list").out()).contains(schedule);
        assertThat(flywheel("schedules", "delete", schedule, "-y").exit()).isZero();

        assertThat(flywheel("triggers", "delete", "00000000", "-y").exit()).as("unknown ids stay NOT_FOUND").isEqualTo(3);
    }

    @Test
    void onATerminalYesActsAndAnythingElseCancels() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("util-linux script(1) makes the pseudo-terminal").exists();
        String trigger = trigger();

        Terminal no = onTerminal("n\n", "triggers", "delete", trigger);
        assertThat(no.output()).contains("Delete folder trigger " + trigger + " of hello? [y/N]").contains("cancelled: did not delete");
        assertThat(no.exit()).isEqualTo(2);
        assertThat(flywheel("triggers", "list").out()).contains(trigger);

        Terminal yes = onTerminal("y\n", "triggers", "delete", trigger);
        assertThat(yes.output()).contains("[y/N]").contains("Deleted trigger " + trigger);
        assertThat(yes.exit()).as(yes.output()).isZero();
        assertThat(flywheel("triggers", "list").out()).doesNotContain(trigger);
    }

    private String trigger() throws IOException {
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        CliResult created = flywheel("triggers", "create", "folder", "hello", "--folder", incoming.toString(), "--files-param", "greet.name");
        assertThat(created.exit()).as(created.err()).isZero();
        Matcher id = Pattern.compile("trigger (\\S+) for hello").matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();
        return id.group(1);
    }

    private String schedule() {
        CliResult created = flywheel("schedules", "create", "hello", "--interval", "1h");
        assertThat(created.exit()).as(created.err()).isZero();
        Matcher id = Pattern.compile("schedule (\\S+)").matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();
        return id.group(1);
    }

    record Terminal(int exit, String output) {
    }

    /** Runs the CLI in a child JVM whose stdin and stdout are a pseudo-terminal, typing {@code input} into it. */
    private Terminal onTerminal(String input, String... args) throws Exception {
        StringBuilder command = new StringBuilder(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .append(" -cp ").append(quote(System.getProperty("java.class.path"))).append(" dev.flywheel.cli.Main --home ")
                .append(quote(dir.resolve(".flywheel").toString()));
        for (String a : args) {
            command.append(' ').append(quote(a));
        }
        // -e: script exits with the child's code; -q: no banner; the typescript goes nowhere.
        Process p = new ProcessBuilder(List.of("/usr/bin/script", "-qec", command.toString(), "/dev/null"))
                .redirectErrorStream(true).start();
        try (OutputStream typed = p.getOutputStream()) {
            typed.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Terminal(p.exitValue(), output);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
