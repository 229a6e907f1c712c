package dev.flywheel.schedule.trigger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.CatchUp;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the scheduler daemon will store must survive a JSON round trip with a plain Jackson mapper. */
class PersistedStateJsonTest {
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private <T> T roundTrip(T value, Class<T> type) throws Exception {
        return json.readValue(json.writeValueAsString(value), type);
    }

    @Test
    void folderStateIsASmallJsonDocument() throws Exception {
        FolderState state = new FolderState(Map.of("2026/04/a.csv", new FolderState.FileStamp(120, 1_775_000_000_000L)));

        assertThat(json.writeValueAsString(state))
                .isEqualTo("{\"consumed\":{\"2026/04/a.csv\":{\"size\":120,\"modifiedMillis\":1775000000000}}}");
        assertThat(roundTrip(state, FolderState.class)).isEqualTo(state);
        assertThat(roundTrip(new RowCountState(42), RowCountState.class)).isEqualTo(new RowCountState(42));
    }

    @Test
    void schedulesAndLaunchReasonsRoundTripWithTheirKind() throws Exception {
        Schedule cron = Schedule.cron("0 3 * * MON", ZoneId.of("Europe/Berlin"))
                .startingAt(Instant.parse("2026-01-01T00:00:00Z")).catchUp(CatchUp.ALL).maxConcurrentRuns(2);
        Schedule every = Schedule.every(Duration.ofDays(14));

        assertThat(json.writeValueAsString(cron)).contains("\"kind\":\"cron\"");
        assertThat(roundTrip(cron, Schedule.class)).isEqualTo(cron);
        assertThat(roundTrip(every, Schedule.class)).isEqualTo(every);

        for (LaunchReason reason : List.of(
                new LaunchReason.ScheduledFire("s1", Instant.parse("2026-04-01T03:00:00Z")),
                new LaunchReason.NewFiles("/data/in", List.of("2026/04/a.csv")),
                new LaunchReason.NewRows("events", 5, 8), new LaunchReason.Webhook("d-1"),
                new LaunchReason.UpstreamRun("features", "run-1"), new LaunchReason.Manual())) {
            assertThat(roundTrip(reason, LaunchReason.class)).isEqualTo(reason);
        }
    }
}
