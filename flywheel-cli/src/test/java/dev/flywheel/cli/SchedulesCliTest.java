package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel schedules} and {@code flywheel triggers} in-process: output, JSON, bad input and exit codes. */
class SchedulesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    Result flywheel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve(".flywheel").toString()));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void init() {
        assertThat(flywheel("init").exit()).isZero();
    }

    @Test
    void createListDescribeUpdatePauseResumeAndDeleteASchedule() throws Exception {
        Result created = flywheel("schedules", "create", "hello", "--cron", "0 3 * * MON", "--zone", "Europe/Berlin", "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonNode s = JSON.readTree(created.out());
        String id = s.get("id").asText();
        assertThat(s.get("timing").asText()).isEqualTo("cron '0 3 * * MON' Europe/Berlin");
        assertThat(s.get("nextFire").asText()).isNotBlank();

        Result list = flywheel("schedules", "list");
        assertThat(list.out()).startsWith("ID").contains(id).contains("hello").contains("LATEST").contains("active");

        Result updated = flywheel("schedules", "update", id.substring(0, 6), "--interval", "15m", "--catch-up", "ALL", "--max-concurrent", "2");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("every 15m");
        Result describe = flywheel("schedules", "describe", id);
        assertThat(describe.out()).contains("Timing:     every 15m").contains("Catch-up:   ALL, at most 2 run(s) at once")
                .contains("No fires yet.");

        assertThat(flywheel("schedules", "pause", id).out()).contains("Paused schedule " + id);
        assertThat(flywheel("schedules", "describe", id).out()).contains("State:      paused").contains("Next fire:  -");
        assertThat(flywheel("schedules", "resume", id).out()).contains("Resumed schedule " + id).contains("next fire");
        assertThat(flywheel("schedules", "delete", id).out()).contains("Deleted schedule " + id);
        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
    }

    @Test
    void badSchedulesAreRefusedBeforeAnythingIsStored() {
        Result cron = flywheel("schedules", "create", "hello", "--cron", "0 25 * * *");
        assertThat(cron.exit()).isEqualTo(2);
        assertThat(cron.err()).contains("0 25 * * *").doesNotContain("\tat ");

        Result both = flywheel("schedules", "create", "hello", "--interval", "1h", "--cron", "@daily");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --interval");

        Result unknownPipeline = flywheel("schedules", "create", "nope", "--interval", "1h");
        assertThat(unknownPipeline.exit()).isEqualTo(3);
        assertThat(unknownPipeline.err()).contains("No pipeline named 'nope'");

        Result badDuration = flywheel("schedules", "create", "hello", "--interval", "soon");
        assertThat(badDuration.exit()).isEqualTo(2);
        assertThat(badDuration.err()).contains("'soon' is not a duration");

        Result endBeforeStart = flywheel("schedules", "create", "hello", "--interval", "1h", "--start", "2030-01-02T00:00:00Z",
                "--end", "2030-01-01T00:00:00Z");
        assertThat(endBeforeStart.exit()).isEqualTo(2);
        assertThat(endBeforeStart.err()).contains("not after its start");

        assertThat(flywheel("schedules", "list").out()).contains("No schedules.");
        Result missing = flywheel("schedules", "describe", "abcdef");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("No schedule with id 'abcdef'").contains("flywheel schedules list");
    }

    @Test
    void triggersAreCreatedListedAndTheWebhookSecretIsShownOnlyOnce() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Result folder = flywheel("triggers", "create", "folder", "hello", "--folder", inbox.toString(), "--glob", "*.csv", "--min-files", "3");
        assertThat(folder.exit()).as(folder.err()).isZero();
        assertThat(folder.out()).contains("Created folder trigger").contains("3+ new *.csv in " + inbox);

        Result webhook = flywheel("triggers", "create", "webhook", "hello");
        assertThat(webhook.exit()).as(webhook.err()).isZero();
        String secret = webhook.out().lines().filter(l -> l.startsWith("Secret")).findFirst().orElseThrow().replaceAll(".*: ", "");
        assertThat(secret).hasSize(32);

        Result upstream = flywheel("triggers", "create", "pipeline", "broken", "--after", "hello");
        assertThat(upstream.exit()).as(upstream.err()).isZero();
        Result self = flywheel("triggers", "create", "pipeline", "hello", "--after", "hello");
        assertThat(self.exit()).isEqualTo(2);
        assertThat(self.err()).contains("run itself");

        Result list = flywheel("triggers", "list", "--json");
        assertThat(JSON.readTree(list.out())).hasSize(3);
        assertThat(list.out()).doesNotContain(secret);
        assertThat(flywheel("triggers", "list").out()).contains("folder").contains("webhook").contains("pipeline").doesNotContain(secret);

        Result badGlob = flywheel("triggers", "create", "rows", "hello", "--jdbc-url", "jdbc:sqlite:" + dir.resolve("x.db"), "--table", "a;drop");
        assertThat(badGlob.exit()).isEqualTo(2);
        assertThat(badGlob.err()).contains("not a plain table name");
    }

    @Test
    void schedulerStatusAndStopWhenNothingRuns() {
        Result status = flywheel("scheduler", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("not running").contains("flywheel scheduler start");
        assertThat(flywheel("scheduler", "stop").out()).contains("not running");
    }
}
