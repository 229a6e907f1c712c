package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderTriggerTest {
    private static final Duration DEBOUNCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");

    private FolderTrigger trigger(String glob) {
        return new FolderTrigger(FolderTrigger.Config.of(folder, glob).debounce(DEBOUNCE), clock);
    }

    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        // The file system's own time, moved with the test clock so each write is a visible change.
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
    }

    private static LaunchReason.NewFiles fired(TriggerCheck<FolderState> check) {
        assertThat(check).isInstanceOf(TriggerCheck.Fire.class);
        return (LaunchReason.NewFiles) ((TriggerCheck.Fire<FolderState>) check).reason();
    }

    @Test
    void droppedFilesFireOnceWithExactlyThoseFiles() throws IOException {
        FolderTrigger trigger = trigger("*.csv");
        write("day1.csv", "a,b\n1,2\n");
        write("day2.csv", "a,b\n3,4\n");
        write("readme.txt", "not data");

        TriggerCheck<FolderState> first = trigger.check(FolderState.empty());
        assertThat(first).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(((TriggerCheck.Wait<FolderState>) first).reason()).contains("2 new file(s)").contains("30s");

        clock.advance(DEBOUNCE);
        TriggerCheck<FolderState> second = trigger.check(first.state());
        LaunchReason.NewFiles reason = fired(second);
        assertThat(reason.files()).containsExactly("day1.csv", "day2.csv");
        assertThat(reason.resolved()).containsExactly(folder.resolve("day1.csv"), folder.resolve("day2.csv"));
        assertThat(second.state().consumed()).containsOnlyKeys("day1.csv", "day2.csv");

        clock.advance(Duration.ofMinutes(5));
        assertThat(trigger.check(second.state())).isInstanceOf(TriggerCheck.Wait.class);
    }

    @Test
    void fileStillBeingWrittenIsNotTakenUntilItWasQuietForTheDebounce() throws IOException {
        FolderTrigger trigger = trigger("*.csv");
        FolderState consumed = FolderState.empty();
        write("big.csv", "part1\n");
        assertThat(trigger.check(consumed)).isInstanceOf(TriggerCheck.Wait.class);

        clock.advance(Duration.ofSeconds(20));
        write("big.csv", "part2\n"); // still being copied: size and mtime move
        assertThat(trigger.check(consumed)).isInstanceOf(TriggerCheck.Wait.class);

        clock.advance(Duration.ofSeconds(20)); // 40s after the first write, only 20s after the last
        Files.setLastModifiedTime(folder.resolve("big.csv"), FileTime.from(clock.instant())); // mtime moves alone
        assertThat(trigger.check(consumed)).isInstanceOf(TriggerCheck.Wait.class);

        clock.advance(Duration.ofSeconds(29));
        assertThat(trigger.check(consumed)).isInstanceOf(TriggerCheck.Wait.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(fired(trigger.check(consumed)).files()).containsExactly("big.csv");
    }

    @Test
    void patternSelectsFilesByRelativePath() throws IOException {
        write("top.csv", "x");
        write("top.parquet", "x");
        write("2026/04/nested.csv", "x");
        clock.advance(DEBOUNCE);
        FolderTrigger topOnly = trigger("*.csv");
        FolderTrigger nestedOnly = trigger("**/*.csv");
        FolderTrigger either = trigger("{*.csv,**/*.csv}");
        topOnly.check(FolderState.empty());
        nestedOnly.check(FolderState.empty());
        either.check(FolderState.empty());

        clock.advance(DEBOUNCE);
        assertThat(fired(topOnly.check(FolderState.empty())).files()).containsExactly("top.csv");
        assertThat(fired(nestedOnly.check(FolderState.empty())).files()).containsExactly("2026/04/nested.csv");
        assertThat(fired(either.check(FolderState.empty())).files())
                .containsExactly("2026/04/nested.csv", "top.csv");
    }

    @Test
    void consumedFilesDoNotFireAgainEvenAfterARestartButAChangedOneDoes() throws IOException {
        write("a.csv", "1");
        write("b.csv", "2");
        FolderTrigger trigger = trigger("*.csv");
        trigger.check(FolderState.empty());
        clock.advance(DEBOUNCE);
        FolderState consumed = trigger.check(FolderState.empty()).state();

        FolderTrigger restarted = trigger("*.csv");
        clock.advance(Duration.ofHours(1));
        assertThat(restarted.check(consumed)).isInstanceOf(TriggerCheck.Wait.class);

        write("b.csv", "3"); // appended: changed
        restarted.check(consumed);
        clock.advance(DEBOUNCE);
        TriggerCheck<FolderState> check = restarted.check(consumed);
        assertThat(fired(check).files()).containsExactly("b.csv");
        assertThat(check.state().consumed().get("b.csv").size()).isEqualTo(2);
    }

    @Test
    void minimumFilesAndBytesBothHaveToBeReached() throws IOException {
        FolderTrigger trigger = new FolderTrigger(FolderTrigger.Config.of(folder, "*.csv").minFiles(2).minBytes(10)
                .debounce(Duration.ZERO), clock);
        write("a.csv", "12345678");
        assertThat(((TriggerCheck.Wait<FolderState>) trigger.check(FolderState.empty())).reason())
                .contains("1 new file(s), 8 bytes").contains("waiting for 2 file(s) and 10 bytes");

        write("b.csv", "1");
        assertThat(trigger.check(FolderState.empty())).isInstanceOf(TriggerCheck.Wait.class);

        write("b.csv", "2");
        assertThat(fired(trigger.check(FolderState.empty())).files()).hasSize(2);
    }

    @Test
    void deletedFilesAreDroppedFromTheConsumedState() throws IOException {
        write("a.csv", "1");
        write("b.csv", "2");
        FolderTrigger trigger = new FolderTrigger(FolderTrigger.Config.of(folder, "*.csv").debounce(Duration.ZERO), clock);
        FolderState consumed = trigger.check(FolderState.empty()).state();
        Files.delete(folder.resolve("a.csv"));

        TriggerCheck<FolderState> check = trigger.check(consumed);

        assertThat(check).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(check.state().consumed()).containsOnlyKeys("b.csv");
    }

    @Test
    void missingFolderWaitsAndSaysSo() {
        FolderTrigger trigger = new FolderTrigger(FolderTrigger.Config.of(folder.resolve("later"), "*.csv"), clock);

        assertThat(((TriggerCheck.Wait<FolderState>) trigger.check(FolderState.empty())).reason())
                .contains("later").contains("does not exist");
    }

    @Test
    void badConfigurationIsRejectedWithWhatToFix() throws IOException {
        Path file = Files.writeString(folder.resolve("x.csv"), "x", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FolderTrigger.Config.of(file, "*.csv"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(file.toString()).hasMessageContaining("is a file, not a folder");
        assertThatThrownBy(() -> FolderTrigger.Config.of(folder, "{*.csv")).hasMessageContaining("'{*.csv' is not a valid glob");
        assertThatThrownBy(() -> FolderTrigger.Config.of(folder, " ")).hasMessageContaining("no file pattern");
        assertThatThrownBy(() -> FolderTrigger.Config.of(folder, "*.csv").minFiles(0)).hasMessageContaining("minFiles must be >= 1");
    }
}
