package dev.flywheel.predictionlog;

import dev.flywheel.predictionlog.internal.Journal;
import dev.flywheel.predictionlog.internal.LogLayout;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionLogTest {
    private static final LogSchema V1 = new LogSchema("bike", 1, List.of("temp", "hum", "row"), List.of("prediction"));
    private static final LogSchema V2 = new LogSchema("bike", 2, List.of("temp", "hum", "row"), List.of("prediction"));
    private static final Instant T0 = Instant.parse("2026-11-29T08:58:00Z");

    @TempDir
    Path dir;

    private static PredictionEvent event(LogSchema s, String id, Instant t, int rows, float base) {
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r * 3] = base + r;
            x[r * 3 + 1] = base * 2 + r;
            x[r * 3 + 2] = r;
            y[r] = base * 10 + r;
        }
        return new PredictionEvent(id, t, s, rows, x, y, 1_500_000);
    }

    private List<Path> files(String suffix) throws IOException {
        while (true) {
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                // a file went away while the folder was walked (the sealer renames its temporary file): walk again
            }
        }
    }

    @Test
    void everyRequestIsWrittenToParquetFilesOfItsHourAndReadBackWithItsValues() throws Exception {
        MutableClock clock = MutableClock.at(T0);
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withClock(clock))) {
            log.record(event(V1, "a", T0, 2, 1f));
            log.record(event(V1, "b", T0.plusSeconds(60), 1, 5f));
            // the next hour, and a swap to version 2: each starts a file of its own
            log.record(event(V1, "c", T0.plusSeconds(180), 1, 7f));
            log.record(event(V2, "d", T0.plusSeconds(190), 3, 9f));
        }
        List<Path> parquet = files(".parquet");
        assertThat(parquet).hasSize(3);
        assertThat(files(".journal")).isEmpty();
        assertThat(parquet.get(0).toString()).contains("bike/2026-11-29/08/v1-");
        assertThat(parquet.get(1).toString()).contains("bike/2026-11-29/09/v1-");
        assertThat(parquet.get(2).toString()).contains("bike/2026-11-29/09/v2-");

        PredictionLogReader.Window w = new PredictionLogReader(dir).read("bike", T0.minusSeconds(3600), T0.plusSeconds(7200));
        assertThat(w.rows()).isEqualTo(7);
        assertThat(w.problems()).isEmpty();
        LoggedRows first = w.parts().stream().filter(p -> p.requestIds()[0].equals("a")).findFirst().orElseThrow();
        assertThat(first.schema()).isEqualTo(V1);
        assertThat(first.requestIds()).containsExactly("a", "a", "b");
        assertThat(first.rowInRequest()).containsExactly(0, 1, 0);
        assertThat(first.inputs()[0]).containsExactly(1f, 2f, 5f);
        assertThat(first.inputs()[1]).containsExactly(2f, 3f, 10f);
        assertThat(first.inputs()[2]).as("an input named like a fixed column keeps its name").containsExactly(0f, 1f, 0f);
        assertThat(first.outputs()[0]).containsExactly(10f, 11f, 50f);
        assertThat(first.latencyMillis()).containsOnly(1.5);
        assertThat(first.timesMicros()[0]).isEqualTo(T0.toEpochMilli() * 1000);

        PredictionLogReader.Window onlyLate = new PredictionLogReader(dir).read("bike", T0.plusSeconds(120), T0.plusSeconds(7200));
        assertThat(onlyLate.rows()).isEqualTo(4);
    }

    @Test
    void aFullQueueDropsAndCountsExactlyWhatItDroppedWithoutBlocking() throws Exception {
        int requests = 200_000;
        PredictionLogStats stats;
        long start = System.nanoTime();
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withQueueCapacity(4))) {
            for (int i = 0; i < requests; i++) {
                log.record(event(V1, "r" + i, Instant.now(), 2, i));
            }
            long offerNanos = System.nanoTime() - start;
            assertThat(offerNanos / requests).as("ns per record()").isLessThan(50_000);
            stats = log.stats();
            assertThat(stats.dropped()).as("a queue of 4 cannot keep up with a tight loop").isPositive();
        }
        stats = new PredictionLogStats(stats.offered(), stats.sampledOut(), stats.dropped(), stats.droppedRows(),
                stats.writtenRows(), stats.sealedFiles());
        PredictionLogReader.Window w = new PredictionLogReader(dir).read("bike", Instant.EPOCH, Instant.now().plusSeconds(3600));
        assertThat(stats.offered()).isEqualTo(requests);
        assertThat(w.rows() + stats.droppedRows()).isEqualTo(2L * requests);
        assertThat(w.droppedRequests()).as("the files say what was dropped").isEqualTo(stats.dropped());
        assertThat(w.droppedRows()).isEqualTo(stats.droppedRows());
    }

    @Test
    void theSampleRateLogsThatShareAndCountsTheRestAsSampledOut() throws Exception {
        PredictionLogStats stats;
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withSampleRate(0.25))) {
            for (int i = 0; i < 8000; i++) {
                log.record(event(V1, "r" + i, Instant.now(), 1, i));
            }
            stats = log.stats();
        }
        long logged = new PredictionLogReader(dir).read("bike", Instant.EPOCH, Instant.now().plusSeconds(3600)).rows();
        assertThat(logged).isBetween(1600L, 2400L);
        assertThat(logged + stats.sampledOut()).isEqualTo(8000);
        assertThat(stats.dropped()).isZero();
    }

    @Test
    void rowsStillInTheCurrentJournalAreReadableWithinTheFlushInterval() throws Exception {
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir))) {
            log.record(event(V1, "live", Instant.now(), 4, 1f));
            PredictionLogReader reader = new PredictionLogReader(dir);
            Await.until(Duration.ofSeconds(5), "the journal to hold the request",
                    () -> reader.read("bike", Instant.EPOCH, Instant.now().plusSeconds(60)).rows() == 4);
            assertThat(files(".journal")).hasSize(1);
            assertThat(Journal.isLocked(files(".journal").get(0))).as("the writer holds its journal").isTrue();
        }
        assertThat(files(".journal")).isEmpty();
        assertThat(files(".parquet")).hasSize(1);
    }

    @Test
    void aJournalWithATornTailIsSealedWithItsWholeRecordsAtTheNextStart() throws Exception {
        Instant hour = LogLayout.hourOf(T0);
        Path hourDir = LogLayout.hourDir(dir, "bike", hour);
        Files.createDirectories(hourDir);
        Path journal = hourDir.resolve("v1-999-abc-0.journal");
        try (Journal j = Journal.create(journal, V1, hour, T0)) {
            j.append(event(V1, "kept-1", T0, 1, 1f));
            j.append(event(V1, "kept-2", T0, 2, 2f));
            j.appendDrops(3, 7);
        }
        // a killed writer's last record, half-written
        Files.write(journal, new byte[]{0, 0, 0, 40, 1, 2, 3, 4, 1, 0}, StandardOpenOption.APPEND);
        // and a journal that never got its header
        Files.write(hourDir.resolve("v1-998-abc-0.journal"), new byte[]{'F', 'W'});
        Files.writeString(hourDir.resolve("v1-997-abc-0.parquet.tmp"), "half a parquet file");

        PredictionLogReader.Window before = new PredictionLogReader(dir).read("bike", T0.minusSeconds(60), T0.plusSeconds(60));
        assertThat(before.rows()).as("readable before sealing").isEqualTo(3);

        MutableClock clock = MutableClock.at(T0.plusSeconds(7200));
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withClock(clock))) {
            Await.until(Duration.ofSeconds(10), "the torn journal to be sealed", () -> files(".journal").isEmpty());
        }
        assertThat(files(".tmp")).isEmpty();
        assertThat(files(".parquet")).hasSize(1);
        PredictionLogReader.Window after = new PredictionLogReader(dir).read("bike", T0.minusSeconds(60), T0.plusSeconds(60));
        assertThat(after.rows()).isEqualTo(3);
        assertThat(after.droppedRequests()).isEqualTo(3);
        assertThat(after.droppedRows()).isEqualTo(7);
        List<String> ids = new ArrayList<>();
        after.parts().forEach(p -> ids.addAll(List.of(p.requestIds())));
        assertThat(ids).containsExactly("kept-1", "kept-2", "kept-2");
    }

    @Test
    void aFinishedHoursPartsAreCompactedIntoOneFileAndReadOnce() throws Exception {
        MutableClock clock = MutableClock.at(T0);
        for (int server = 0; server < 3; server++) {
            try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withClock(clock))) {
                log.record(event(V1, "s" + server, T0.plusSeconds(server), 2, server));
            }
        }
        assertThat(files(".parquet")).as("one part per server run while the hour lasts").hasSize(3);
        clock.advance(Duration.ofHours(1));
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(dir).withClock(clock))) {
            Await.until(Duration.ofSeconds(10), "the hour to be compacted", () -> files(".parquet").size() == 1);
        }
        assertThat(files(".parquet").get(0).getFileName().toString()).startsWith("v1-compacted-");
        PredictionLogReader.Window w = new PredictionLogReader(dir).read("bike", T0.minusSeconds(60), T0.plusSeconds(600));
        assertThat(w.rows()).isEqualTo(6);
        assertThat(w.parts()).hasSize(1);
        assertThat(w.parts().get(0).rowInRequest()).containsExactly(0, 1, 0, 1, 0, 1);
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        PredictionLogSettings ok = PredictionLogSettings.of(dir);
        for (double rate : new double[]{0, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> ok.withSampleRate(rate)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sample rate must be > 0 and <= 1");
        }
        assertThatThrownBy(() -> ok.withQueueCapacity(0)).hasMessageContaining("queue capacity must be >= 1");
        assertThatThrownBy(() -> new LogSchema("../x", 1, List.of("a"), List.of("p"))).hasMessageContaining("cannot name a log folder");
        assertThatThrownBy(() -> new LogSchema("m", 1, List.of("a", "a"), List.of("p"))).hasMessageContaining("unique");
        assertThatThrownBy(() -> new PredictionEvent("r", T0, V1, 2, new float[3], new float[2], 0))
                .hasMessageContaining("2 rows has 3 input");
    }
}
