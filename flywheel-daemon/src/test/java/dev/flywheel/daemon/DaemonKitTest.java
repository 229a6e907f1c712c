package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local-daemon kit with real processes: pid files, detached launch, readiness, stop, locks, logs, guards. */
@ExtendWith(NoDaemonLeft.class)
class DaemonKitTest {
    @TempDir
    Path dir;

    @Test
    void aPidFileNamesItsProcessByPidAndStartTimeSoAReusedPidIsNotTakenForIt() throws Exception {
        DaemonFolder folder = DaemonFolder.create(dir.resolve("d"));
        PidFile pid = folder.pidFile("x.pid");
        assertThat(pid.running()).isEmpty();
        pid.write(ProcessHandle.current());
        assertThat(pid.read().orElseThrow().startedAt()).isNotNull();
        assertThat(pid.running()).map(ProcessHandle::pid).hasValue(ProcessHandle.current().pid());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pid.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.dir()))).isEqualTo("rwx------");

        // Our pid with another start time: a process that had this pid before, not us.
        Instant other = ProcessHandle.current().info().startInstant().orElseThrow().minusSeconds(3600);
        pid.write(new ProcessId(ProcessHandle.current().pid(), other));
        assertThat(pid.running()).isEmpty();
        assertThat(new ProcessId(ProcessHandle.current().pid(), other).isAlive()).isFalse();

        // A bare pid (older files) counts only when the command line carries the marker.
        Files.writeString(pid.file(), ProcessHandle.current().pid() + "\n");
        assertThat(pid.running("no-such-marker-" + System.nanoTime())).isEmpty();
        assertThat(pid.running("java")).isPresent();

        for (String garbage : List.of("", "abc", "-5", "12 34 56", "0", "12 x")) {
            Files.writeString(pid.file(), garbage);
            assertThat(pid.running()).as(garbage).isEmpty();
        }
        assertThat(ProcessId.parse("42 1700000000000")).hasValue(new ProcessId(42, Instant.ofEpochMilli(1700000000000L)));
        assertThat(ProcessId.parse(new ProcessId(42, Instant.ofEpochMilli(5)).text())).hasValue(new ProcessId(42, Instant.ofEpochMilli(5)));
    }

    @Test
    void claimingAPidFileAnotherLiveProcessHoldsIsAConflictAndReleaseLeavesItsFile() throws Exception {
        PidFile pid = DaemonFolder.create(dir).pidFile("d.pid");
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            pid.write(other.toHandle());
            assertThatThrownBy(() -> pid.claim(p -> "held by " + p))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessage("held by " + other.pid());
            pid.release();
            assertThat(pid.running()).map(ProcessHandle::pid).hasValue(other.pid());
        } finally {
            other.destroyForcibly().waitFor();
        }
        pid.claim(p -> "held by " + p);
        assertThat(pid.running()).map(ProcessHandle::pid).hasValue(ProcessHandle.current().pid());
        pid.release();
        assertThat(pid.file()).doesNotExist();
    }

    @Test
    void aDetachedLaunchRunsInItsOwnSessionAndAppendsToAnOwnerOnlyLog() throws Exception {
        Path log = dir.resolve("logs/out.log");
        Process p = Launch.of(List.of("sh", "-c", "echo hello; echo oops >&2; exec sleep 600", "sh", dir.toString()))
                .detached().logTo(log).start("the test daemon");
        try {
            Await.until(Duration.ofSeconds(10), "both lines logged", () -> LogTail.lastLines(log, 5).size() == 2);
            assertThat(LogTail.lastLines(log, 5)).containsExactlyInAnyOrder("hello", "oops");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
            // field 6 of /proc/PID/stat is the session id: its own pid for a session leader
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertThat(Long.parseLong(fields[3])).as("session id").isEqualTo(p.pid());
        } finally {
            assertThat(Termination.stop(p.toHandle(), Duration.ofSeconds(5))).isEqualTo(Termination.Result.EXITED);
        }
        assertThatThrownBy(() -> Launch.of(List.of(dir.resolve("no-such-program").toString())).start("the missing daemon"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("Cannot start the missing daemon");
    }

    @Test
    void readinessEndsWhenTheCheckAnswersWhenTheProcessExitsFirstOrWhenTimeIsUp() throws Exception {
        Path ready = dir.resolve("ready");
        Process starting = Launch.of(List.of("sh", "-c", "sleep 0.3; echo 4242 > " + ready + "; exec sleep 600")).start("starting");
        try {
            Readiness.Outcome<Long> outcome = Readiness.await(starting, Duration.ofSeconds(20),
                    () -> java.util.Optional.of(new DaemonFolder(dir).readLong("ready")).filter(v -> v > 0));
            assertThat(outcome).isEqualTo(new Readiness.Outcome.Ready<>(4242L));
        } finally {
            Termination.kill(starting.toHandle());
        }

        Process failing = Launch.of(List.of("sh", "-c", "sleep 0.2; exit 3")).start("failing");
        long t0 = System.nanoTime();
        assertThat(Readiness.await(failing, Duration.ofSeconds(60), java.util.Optional::empty)).isEqualTo(new Readiness.Outcome.Exited<>(3));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no waiting out the timeout").isLessThan(Duration.ofSeconds(20));

        Process slow = Launch.of(List.of("sleep", "600")).start("slow");
        try {
            assertThat(Readiness.await(slow, Duration.ofMillis(300), java.util.Optional::empty))
                    .isInstanceOf(Readiness.Outcome.TimedOut.class);
            assertThat(slow.isAlive()).isTrue();
        } finally {
            Termination.kill(slow.toHandle());
        }
    }

    @Test
    void aDetachedStartReturnsWhatTheCheckSeesOfTheLaunchedProcessOrFailsWithTheEndOfItsLog() throws Exception {
        DetachedStart.Wording wording = new DetachedStart.Wording("the test daemon", "The test daemon", "come up", c -> "code " + c,
                t -> t.toMillis() + " ms");
        Path log = dir.resolve("daemon.log");
        Path ready = dir.resolve("ready");
        // A child of the launched shell writes its own pid: the launched process's descendants count as the daemon.
        long pid = new DetachedStart(wording, log).start(List.of("sh", "-c", "sh -c 'echo $$ > " + ready + "; exec sleep 600' & wait",
                        dir.toString()), Duration.ofSeconds(20),
                launched -> java.util.Optional.of(new DaemonFolder(dir).readLong("ready")).filter(p -> p > 0 && launched.test(p)));
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        ProcessHandle shell = daemon.parent().orElseThrow();
        try {
            assertThatThrownBy(() -> new DetachedStart(wording, log).start(List.of("sh", "-c", "exec sleep 600", dir.toString()), Duration.ofMillis(200),
                    launched -> java.util.Optional.of(pid).filter(launched::test)))
                    .as("a process another start launched is not this start's daemon")
                    .hasMessageContaining("The test daemon did not come up within 200 ms, so it was stopped");
        } finally {
            Termination.stop(shell, Duration.ofSeconds(5));
            Termination.stop(daemon, Duration.ofSeconds(5));
        }

        assertThatThrownBy(() -> new DetachedStart(wording, log).start(List.of("sh", "-c", "echo 'error: the store cannot be opened'; exit 7"),
                Duration.ofSeconds(60), launched -> java.util.Optional.empty()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("The test daemon exited at start (code 7); see its log " + log)
                .hasMessageEndingWith("error: the store cannot be opened");
        assertThatThrownBy(() -> new DetachedStart(wording, log).start(List.of("sh", "-c", "echo still starting; exec sleep 600", dir.toString()),
                Duration.ofMillis(300), launched -> java.util.Optional.empty()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("The test daemon did not come up within 300 ms, so it was stopped; see its log " + log);
    }

    @Test
    void stopGivesGraceThenKillsWhatIgnoresSigtermAndItsDescendants() throws Exception {
        Process polite = Launch.of(List.of("sleep", "600")).start("polite");
        assertThat(Termination.stop(polite.toHandle(), Duration.ofSeconds(10))).isEqualTo(Termination.Result.EXITED);
        assertThat(Termination.describeExit(polite.waitFor())).isEqualTo("exited with code 143 (SIGTERM)");

        Process stubborn = Launch.of(List.of("sh", "-c", "trap '' TERM; sleep 600 & wait")).start("stubborn");
        Await.until(Duration.ofSeconds(10), "its child runs", () -> stubborn.descendants().findAny().isPresent());
        ProcessHandle child = stubborn.descendants().findFirst().orElseThrow();
        long t0 = System.nanoTime();
        assertThat(Termination.stop(stubborn.toHandle(), Duration.ofMillis(500))).isEqualTo(Termination.Result.KILLED);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(stubborn.isAlive()).isFalse();
        assertThat(Termination.waitGone(child, Duration.ofSeconds(5))).as("the child it started is gone too").isTrue();
        assertThat(Termination.describeExit(137)).isEqualTo("exited with code 137 (SIGKILL)");
        assertThat(Termination.describeExit(1)).isEqualTo("exited with code 1");
    }

    @Test
    void anExclusiveLockMakesThreadsAndProcessesTakeTurnsAndIsReentrant() throws Exception {
        Path file = dir.resolve("locks/.deploy.lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                all.add(pool.submit(() -> {
                    for (int k = 0; k < 20; k++) {
                        try (ExclusiveLock outer = ExclusiveLock.acquire(file); ExclusiveLock inner = ExclusiveLock.acquire(file)) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : all) {
            f.get();
        }
        assertThat(most.get()).as("one holder at a time").isEqualTo(1);

        Process holder = new ProcessBuilder(Launch.javaCommand(List.of("-Xmx32m"), KitChild.class.getName(), List.of("lock", file.toString())))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            CountDownLatch acquired = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                try (ExclusiveLock ignored = ExclusiveLock.acquire(file)) {
                    acquired.countDown();
                }
            });
            assertThat(acquired.await(300, TimeUnit.MILLISECONDS)).as("held by the other process").isFalse();
            holder.getOutputStream().close();
            assertThat(acquired.await(20, TimeUnit.SECONDS)).as("free once it let go").isTrue();
            waiter.join();
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void aGuardedDaemonStopsItselfWhenItsFolderIsRemoved() throws Exception {
        DaemonFolder folder = DaemonFolder.create(dir.resolve("daemon"));
        Process daemon = new ProcessBuilder(Launch.javaCommand(List.of("-Xmx32m"), KitChild.class.getName(), List.of("guard", folder.dir().toString())))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("guarding");
            assertThat(daemon.waitFor(300, TimeUnit.MILLISECONDS)).as("runs while its folder exists").isFalse();
            Files.delete(folder.dir());
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isEqualTo(8);
        } finally {
            daemon.destroyForcibly().waitFor();
        }
    }

    @Test
    void stateFilesAreWrittenWholeAndOwnerOnlyAndLogTailsReadTheEnd() throws Exception {
        DaemonFolder folder = DaemonFolder.create(dir.resolve("s"));
        folder.write("port", "8080\n");
        assertThat(folder.readLong("port")).isEqualTo(8080);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.file("port")))).isEqualTo("rw-------");
        folder.write("port", "not a number");
        assertThat(folder.readLong("port")).isZero();
        assertThat(folder.readLong("missing")).isZero();
        assertThat(folder.read("missing")).isEmpty();
        try (var files = Files.list(folder.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("port");
        }

        Path log = folder.log("server.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        text.append("error: the model cannot load\nexiting\n");
        Files.writeString(log, text);
        assertThat(LogTail.lastLines(log, 3)).containsExactly("line 19999", "error: the model cannot load", "exiting");
        assertThat(LogTail.lastLineStartingWith(log, "error: ", 50)).hasValue("the model cannot load");
        assertThat(LogTail.lastLineStartingWith(log, "fatal: ", 50)).isEmpty();
        assertThat(LogTail.lastLines(dir.resolve("none.log"), 3)).isEmpty();
    }
}
