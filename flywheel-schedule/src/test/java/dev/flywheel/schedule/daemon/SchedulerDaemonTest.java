package dev.flywheel.schedule.daemon;

import dev.flywheel.daemon.Launch;
import dev.flywheel.daemon.ProcessId;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduler daemon's lifecycle through the schedule module's API, with real detached processes: start waits
 * until the daemon holds its pid file and listens, a second start is refused, stop ends it, a daemon that dies at
 * start is reported with its log, a killed one leaves files that name nothing, and a removed folder stops it.
 */
@ExtendWith(NoDaemonLeft.class)
class SchedulerDaemonTest {
    @TempDir
    Path dir;

    private SchedulerDaemon daemon() {
        return new SchedulerDaemon(dir.resolve("scheduler"), java.time.Clock.systemUTC());
    }

    private List<String> command(int webhookPort, String... extra) {
        return Launch.javaCommand(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), DaemonMain.class.getName(),
                java.util.stream.Stream.concat(java.util.stream.Stream.of(dir.toString(), Integer.toString(webhookPort)),
                        java.util.stream.Stream.of(extra)).toList());
    }

    @AfterEach
    void stop() {
        daemon().stop(Duration.ofSeconds(10));
    }

    @Test
    void startWaitsUntilTheDaemonListensASecondStartIsRefusedAndStopEndsIt() throws Exception {
        SchedulerDaemon daemon = daemon();
        assertThat(daemon.status().running()).isFalse();
        assertThat(daemon.stop(Duration.ofSeconds(5))).isEmpty();

        SchedulerStatus started = daemon.start(command(0), Duration.ofSeconds(60));
        assertThat(started.running()).isTrue();
        assertThat(started.webhookPort()).as("ready means listening").hasValueSatisfying(port -> assertThat(port).isPositive());
        assertThat(started.startedAt()).isPresent();
        assertThat(started.health()).as("ready means its loop has passed").isInstanceOf(SchedulerHealth.Live.class);
        assertThat(daemon.status().pid()).isEqualTo(started.pid());
        assertThat(daemon.status().webhookPort()).isEqualTo(started.webhookPort());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.logFile()))).isEqualTo("rw-------");

        assertThatThrownBy(() -> daemon.start(command(0), Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("already runs (pid " + started.pid().orElseThrow() + ")");

        ProcessHandle process = ProcessHandle.of(started.pid().orElseThrow()).orElseThrow();
        assertThat(daemon.stop(Duration.ofSeconds(20))).hasValue(started.pid().orElseThrow());
        assertThat(process.isAlive()).isFalse();
        assertThat(daemon.status().running()).isFalse();
        assertThat(daemon.status().webhookPort()).isEmpty();
        assertThat(Files.readString(daemon.logFile())).contains("scheduler started");
    }

    @Test
    void aDaemonThatExitsAtStartIsReportedWithTheEndOfItsLog() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> daemon().start(command(-1, "fail"), Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("exited at start (code 7)").hasMessageContaining("error: the store cannot be opened");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("reported as soon as it exits").isLessThan(Duration.ofSeconds(30));
        assertThat(daemon().status().running()).isFalse();
    }

    @Test
    void aDaemonThatDoesNotComeUpInTimeIsStoppedAndReported() {
        // this "daemon" never says it is ready
        assertThatThrownBy(() -> daemon().start(List.of("sh", "-c", "sleep 600", "sh", dir.toString()), Duration.ofMillis(500)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("did not come up within 500 ms, so it was stopped");
    }

    @Test
    void aKilledDaemonsFilesNameNothingAndAPidReusedByAnotherProgramIsNeverSignalled() throws Exception {
        SchedulerDaemon daemon = daemon();
        SchedulerStatus started = daemon.start(command(-1), Duration.ofSeconds(60));
        ProcessHandle process = ProcessHandle.of(started.pid().orElseThrow()).orElseThrow();
        process.destroyForcibly();
        Await.until(Duration.ofSeconds(10), "the daemon is dead", () -> !process.isAlive());
        assertThat(daemon.status().running()).isFalse();
        assertThat(daemon.stop(Duration.ofSeconds(5))).isEmpty();

        // The pid file names a live process that started at another time: a program that got a reused pid.
        Process bystander = new ProcessBuilder("sleep", "600").start();
        try {
            Instant otherStart = bystander.toHandle().info().startInstant().orElseThrow().minusSeconds(60);
            Files.writeString(dir.resolve("scheduler/scheduler.pid"), new ProcessId(bystander.pid(), otherStart).text());
            assertThat(daemon.status().running()).isFalse();
            assertThat(daemon.stop(Duration.ofSeconds(5))).isEmpty();
            assertThat(bystander.isAlive()).isTrue();
            assertThat(daemon.start(command(-1), Duration.ofSeconds(60)).running()).isTrue();
        } finally {
            bystander.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDaemonWhoseFolderIsRemovedStopsItself() throws Exception {
        SchedulerDaemon daemon = daemon();
        SchedulerStatus started = daemon.start(command(-1), Duration.ofSeconds(60));
        ProcessHandle process = ProcessHandle.of(started.pid().orElseThrow()).orElseThrow();
        try (var files = Files.walk(daemon.dir())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Await.until(Duration.ofSeconds(20), "the daemon stops itself", () -> !process.isAlive());
    }
}
