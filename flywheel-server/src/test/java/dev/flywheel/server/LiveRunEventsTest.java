package dev.flywheel.server;

import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live events over real HTTP (Server-Sent Events) while real runs happen, and the run page of a 150-step run: a
 * timeline instead of an unreadable graph.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRunEventsTest {
    ServerFixture f;

    @BeforeAll
    void start(@TempDir Path dir) {
        f = new ServerFixture(dir);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    /** An open event stream: its lines as they arrive. */
    final class EventStream implements AutoCloseable {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response;

        EventStream(String topics) throws Exception {
            this(f.server.url(), topics);
        }

        EventStream(java.net.URI base, String topics) throws Exception {
            response = f.http.send(HttpRequest.newBuilder(base.resolve("/api/v1/events?topics=" + topics)).header("Accept", "text/event-stream").GET()
                    .build(), HttpResponse.BodyHandlers.ofLines());
            Thread.ofPlatform().daemon().name("sse-reader").start(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException e) {
                    lines.add("closed: " + e);
                }
                lines.add("<end>");
            });
        }

        /** The data of the next event named {@code event}, waiting at most {@code timeout}. */
        String next(String event, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean named = false;
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no '" + event + "' event within " + timeout);
                }
                if (line.equals("<end>")) {
                    throw new AssertionError("the stream ended before a '" + event + "' event");
                }
                if (line.equals("event: " + event)) {
                    named = true;
                } else if (named && line.startsWith("data:")) {
                    return line.substring(5).strip();
                }
            }
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void aNewRunIsAChangeOfTheRunsTopicAndAFinishedRunsTopicStaysQuiet() throws Exception {
        RunResult first;
        try (EventStream runs = new EventStream("runs")) {
            assertThat(runs.response.statusCode()).isEqualTo(200);
            assertThat(runs.response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(runs.next("ready", Duration.ofSeconds(10))).contains("\"runs\"");
            first = run("chain_a");
            assertThat(runs.next("change", Duration.ofSeconds(20))).isEqualTo("{\"topic\":\"runs\"}");
        }
        // One stream, two topics: a new run changes the list, while the finished run's own topic has nothing to say.
        try (EventStream both = new EventStream("run:" + first.runId() + ",runs")) {
            assertThat(both.next("ready", Duration.ofSeconds(10))).contains("run:" + first.runId());
            run("chain_b");
            assertThat(both.next("change", Duration.ofSeconds(20))).isEqualTo("{\"topic\":\"runs\"}");
        }
    }

    @Test
    void stoppingTheServerEndsOpenEventStreamsAtOnce() throws Exception {
        FlywheelServer second = FlywheelServer.start(f.flywheel, ServerSettings.defaults().withPort(0), java.time.Clock.systemUTC());
        try (EventStream stream = new EventStream(second.url(), "runs,deployments")) {
            stream.next("ready", Duration.ofSeconds(10));
            long t = System.nanoTime();
            second.close();
            String last = stream.lines.poll(10, TimeUnit.SECONDS);
            while (last != null && !last.equals("<end>") && !last.startsWith("closed")) {
                last = stream.lines.poll(10, TimeUnit.SECONDS);
            }
            assertThat(last).as("the stream ended").isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
        } finally {
            second.close();
        }
    }

    private RunResult run(String name) {
        RunResult r = f.flywheel.run(ChainPipelines.chain(name, 3), RunOptions.defaults(), RunListener.NONE);
        assertThat(r.status()).as(String.valueOf(r.steps())).isEqualTo(RunStatus.SUCCEEDED);
        return r;
    }

    @Test
    void aRunOfMoreThanAHundredStepsIsDrawnAsATimelineNamingEachStep() {
        RunResult chain = f.flywheel.run(ChainPipelines.chain("chain_page", 150), RunOptions.defaults(), RunListener.NONE);
        assertThat(chain.status()).isEqualTo(RunStatus.SUCCEEDED);
        String html = f.get("/runs/" + chain.runId()).body();
        assertThat(html).contains("Steps timeline").doesNotContain("class=\"dag\"");
        Matcher bars = Pattern.compile("<g class=\"bar [a-z]+\" data-step=\"(s\\d{3})\">").matcher(html);
        List<String> steps = bars.results().map(m -> m.group(1)).toList();
        assertThat(steps).hasSize(150).startsWith("s000", "s001").endsWith("s149");
        String small = f.get("/runs/" + f.runs.getFirst().runId()).body();
        assertThat(small).contains("class=\"dag\"").doesNotContain("Steps timeline");
    }
}
