package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel schedules} and {@code flywheel triggers} in-process: output, JSON, bad input and exit codes. */
class SchedulesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void createListDescribeUpdatePauseResumeAndDeleteASchedule() throws Exception {
        CliResult created = flywheel("schedules", "create", "hello", "--cron", "0 3 * * MON", "--zone", "Europe/Berlin", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonNode s = JSON.readTree(created.out());
        String id = s.get("id").asText();
        assertThat(s.get("timing").asText()).isEqualTo("cron '0 3 * * MON' Europe/Berlin");
        assertThat(s.get("nextFire").asText()).isNotBlank();

        CliResult list = flywheel("schedules", "list");
        assertThat(list.out()).startsWith("ID").contains(id).contains("hello").contains("LATEST").contains("active");

        CliResult updated = flywheel("schedules", "update", id.substring(0, 6), "--interval", "15m", "--catch-up", "ALL", "--max-concurrent", "2");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("every 15m");
        CliResult describe = flywheel("schedules", "describe", id);
        assertThat(describe.out()).contains("Timing:     every 15m").contains("Catch-up:   ALL, at most 2 run(s) at once")
                .contains("No fires yet.");

        assertThat(flywheel("schedules", "pause", id).out()).contains("Paused schedule " + id);
        assertThat(flywheel("schedules", "describe", id).out()).contains("State:      paused").contains("Next fire:  -");
        assertThat(flywheel("schedules", "resume", id).out()).contains("Resumed schedule " + id).contains("next fire");
        assertThat(flywheel("schedules", "delete", id, "-y").out()).contains("Deleted schedule " + id);
        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
    }

    @Test
    void badSchedulesAreRefusedBeforeAnythingIsStored() {
        CliResult cron = flywheel("schedules", "create", "hello", "--cron", "0 25 * * *");
        assertThat(cron.exit()).isEqualTo(2);
        assertThat(cron.err()).contains("0 25 * * *").doesNotContain("\tat ");

        CliResult both = flywheel("schedules", "create", "hello", "--interval", "1h", "--cron", "@daily");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --interval");

        CliResult unknownPipeline = flywheel("schedules", "create", "nope", "--interval", "1h");
        assertThat(unknownPipeline.exit()).isEqualTo(3);
        assertThat(unknownPipeline.err()).contains("No pipeline named 'nope'");

        CliResult badDuration = flywheel("schedules", "create", "hello", "--interval", "soon");
        assertThat(badDuration.exit()).isEqualTo(2);
        assertThat(badDuration.err()).contains("'soon' is not a duration");

        CliResult endBeforeStart = flywheel("schedules", "create", "hello", "--interval", "1h", "--start", "2030-01-02T00:00:00Z",
                "--end", "2030-01-01T00:00:00Z");
        assertThat(endBeforeStart.exit()).isEqualTo(2);
        assertThat(endBeforeStart.err()).contains("not after its start");

        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
        CliResult missing = flywheel("schedules", "describe", "abcdef");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("No schedule with id 'abcdef'").contains("flywheel schedules list");
    }

    @Test
    void triggersAreCreatedListedAndTheWebhookSecretIsShownOnlyOnce() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        CliResult folder = flywheel("triggers", "create", "folder", "hello", "--folder", inbox.toString(), "--glob", "*.csv", "--min-files", "3",
                "--files-param", "greet.name");
        assertThat(folder.exit()).as(folder.err()).isZero();
        assertThat(folder.out()).contains("Created folder trigger").contains("3+ new *.csv in " + inbox);

        CliResult webhook = flywheel("triggers", "create", "webhook", "hello");
        assertThat(webhook.exit()).as(webhook.err()).isZero();
        String secret = webhook.out().lines().filter(l -> l.startsWith("Secret")).findFirst().orElseThrow().replaceAll(".*: ", "");
        assertThat(secret).hasSize(32);
        // the signing secret is kept in the secrets store, not in the triggers table
        assertThat(flywheel("secret", "list").out()).contains("webhook-");

        CliResult upstream = flywheel("triggers", "create", "pipeline", "broken", "--after", "hello");
        assertThat(upstream.exit()).as(upstream.err()).isZero();
        CliResult self = flywheel("triggers", "create", "pipeline", "hello", "--after", "hello");
        assertThat(self.exit()).isEqualTo(2);
        assertThat(self.err()).contains("run itself");

        CliResult list = flywheel("triggers", "list", "--json");
        assertThat(JSON.readTree(list.out())).hasSize(3);
        assertThat(list.out()).doesNotContain(secret);
        assertThat(flywheel("triggers", "list").out()).contains("folder").contains("webhook").contains("pipeline").doesNotContain(secret);

        CliResult badGlob = flywheel("triggers", "create", "rows", "hello", "--jdbc-url", "jdbc:sqlite:" + dir.resolve("x.db"), "--table", "a;drop");
        assertThat(badGlob.exit()).isEqualTo(2);
        assertThat(badGlob.err()).contains("not a plain table name");
    }

    /** Issue 11's probe: the interval that overflowed the scheduler is refused, and nothing is stored. */
    @Test
    void theOverflowingIntervalProbeAndSchedulesThatWouldNeverFireAreRefusedBeforeAnythingIsStored() throws Exception {
        CliResult probe = flywheel("schedules", "create", "hello", "--interval", "999999999999d");
        assertThat(probe.exit()).as(probe.err()).isEqualTo(2);
        assertThat(probe.err()).startsWith("error: Schedule interval of 999999999999 days is too long").contains("at most 3653 days")
                .contains("@yearly").doesNotContain("internal error").doesNotContain("\tat ");

        CliResult tooLarge = flywheel("schedules", "create", "hello", "--interval", "99999999999999999999999d");
        assertThat(tooLarge.exit()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("too large to be a duration");

        CliResult ended = flywheel("schedules", "create", "hello", "--interval", "1h", "--start", "2020-01-01T00:00:00Z",
                "--end", "2020-02-01T00:00:00Z");
        assertThat(ended.exit()).isEqualTo(2);
        assertThat(ended.err()).contains("would never fire").contains("ends at 2020-02-01T00:00:00Z");

        CliResult pastYear = flywheel("schedules", "create", "hello", "--cron", "0 0 3 1 1 ? 2020");
        assertThat(pastYear.exit()).isEqualTo(2);
        assertThat(pastYear.err()).contains("would never fire").contains("matches no time from now on");

        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
        CliResult updated = flywheel("schedules", "create", "hello", "--interval", "1h", "--json");
        String id = JSON.readTree(updated.out()).get("id").asText();
        CliResult badUpdate = flywheel("schedules", "update", id, "--interval", "999999999999d");
        assertThat(badUpdate.exit()).isEqualTo(2);
        assertThat(flywheel("schedules", "describe", id).out()).contains("every 1h");
    }

    @Test
    void schedulesAndTriggersThatCouldNeverStartTheirPipelineAreRefusedAtCreation() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path file = Files.writeString(dir.resolve("a-file.csv"), "x");
        record Case(String[] args, int exit, String message) {
        }
        List<Case> cases = List.of(
                new Case(new String[]{"schedules", "create", "hello", "--interval", "1h", "-p", "greet.nosuch=1"}, 2,
                        "step 'greet' has no config field 'nosuch'; its fields are [name, times]"),
                new Case(new String[]{"schedules", "create", "hello", "--interval", "1h", "-p", "nosuch.x=1"}, 2,
                        "names step 'nosuch', but pipeline 'hello' has no such step; its steps are [greet, shout]"),
                new Case(new String[]{"schedules", "create", "hello", "--interval", "1h", "-p", "zzz=1"}, 2,
                        "Parameter 'zzz' matches no config field of pipeline 'hello'; write it as STEP.FIELD"),
                new Case(new String[]{"schedules", "create", "hello", "--interval", "1h", "-p", "greet.times=often"}, 2,
                        "'greet.times=often' is not a number"),
                new Case(new String[]{"schedules", "create", "nope", "--interval", "1h"}, 3, "No pipeline named 'nope'"),
                new Case(new String[]{"triggers", "create", "webhook", "hello", "-p", "greet.nosuch=1"}, 2,
                        "step 'greet' has no config field 'nosuch'"),
                new Case(new String[]{"triggers", "create", "folder", "hello", "--folder", dir.resolve("missing").toString(),
                        "--files-param", "greet.name"}, 2, "the folder does not exist; create it first (mkdir -p " + dir.resolve("missing")),
                new Case(new String[]{"triggers", "create", "folder", "hello", "--folder", file.toString(), "--files-param", "greet.name"}, 2,
                        "is a file, not a folder"),
                new Case(new String[]{"triggers", "create", "folder", "hello", "--folder", inbox.toString()}, 2,
                        "passes its new files to each run as parameter 'files' (--files-param), which pipeline 'hello' cannot take"),
                new Case(new String[]{"triggers", "create", "pipeline", "hello", "--after", "nosuch"}, 3,
                        "No pipeline named 'nosuch' is registered or has run in this project"),
                new Case(new String[]{"triggers", "create", "pipeline", "hello", "--after", "broken", "-p", "x=1"}, 2,
                        "Parameter 'x' matches no config field"));
        for (Case c : cases) {
            CliResult r = flywheel(c.args());
            assertThat(r.exit()).as("%s: %s", String.join(" ", c.args()), r.err()).isEqualTo(c.exit());
            assertThat(r.err().lines().findFirst().orElse("")).as(String.join(" ", c.args())).startsWith("error: ").contains(c.message());
        }
        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
        assertThat(flywheel("triggers", "list").out()).contains("No triggers.");

        // the same with what matches is accepted
        assertThat(flywheel("schedules", "create", "hello", "--interval", "1h", "-p", "greet.times=3", "-p", "name=x").exit()).isZero();
        assertThat(flywheel("triggers", "create", "folder", "hello", "--folder", inbox.toString(), "--files-param", "greet.name").exit()).isZero();
        assertThat(flywheel("triggers", "create", "pipeline", "hello", "--after", "broken").exit()).isZero();
    }

    @Test
    void schedulerStatusAndStopWhenNothingRuns() {
        CliResult status = flywheel("scheduler", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("not running").contains("flywheel scheduler start");
        assertThat(flywheel("scheduler", "stop").out()).contains("not running");
    }
}
