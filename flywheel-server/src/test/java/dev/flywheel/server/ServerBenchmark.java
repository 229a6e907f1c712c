package dev.flywheel.server;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's goals, measured (not a test: skipped unless {@code -Dflywheel.bench=server}): API p99 of the runs list and
 * of a run page on a project with 100,000 runs (goal < 100 ms), beside the health endpoint as the server's floor, and
 * the first contentful paint of the overview in headless Chromium (goal < 500 ms), beside a page with nothing to
 * compute. Prints a table and writes it to target/benchmarks/server.md.
 *
 * <pre>mvn -B -o verify -pl flywheel-server -am -Dtest=ServerBenchmark -Dflywheel.bench=server -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ServerBenchmark {
    private static final int RUNS = Integer.getInteger("flywheel.bench.runs", 100_000);
    private static final int REQUESTS = Integer.getInteger("flywheel.bench.requests", 500);

    @TempDir
    Path dir;

    @Test
    void apiAndFirstPaintOnAHundredThousandRuns() throws Exception {
        Assumptions.assumeTrue("server".equals(System.getProperty("flywheel.bench")), "benchmark: run with -Dflywheel.bench=server");
        StringBuilder report = new StringBuilder();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            long t0 = System.nanoTime();
            List<String> ids = fill(flywheel, RUNS);
            report.append(String.format(Locale.ROOT, "Project: %,d runs of 3 steps each (filled in %.1f s)%n%n", RUNS, (System.nanoTime() - t0) / 1e9));
            try (FlywheelServer server = FlywheelServer.start(flywheel, ServerSettings.defaults().withPort(0), Clock.systemUTC())) {
                URI base = server.url();
                HttpClient http = HttpClient.newHttpClient();
                Random random = new Random(7);
                String deepCursor = cursorAt(http, base, RUNS / 2);
                report.append("| request | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
                report.append(row("GET /api/v1/health (floor)", measure(http, () -> base.resolve("/api/v1/health"))));
                report.append(row("GET /api/v1/runs?limit=50 (first page)", measure(http, () -> base.resolve("/api/v1/runs?limit=50"))));
                report.append(row("GET /api/v1/runs?limit=50&cursor=(run 50,000)", measure(http, () -> base.resolve("/api/v1/runs?limit=50&cursor=" + deepCursor))));
                report.append(row("GET /api/v1/runs?status=failed&limit=50", measure(http, () -> base.resolve("/api/v1/runs?status=failed&limit=50"))));
                report.append(row("GET /api/v1/runs/{id} (random run)", measure(http, () -> base.resolve("/api/v1/runs/" + ids.get(random.nextInt(ids.size()))))));
                report.append(row("GET /runs/{id} (run page, HTML)", measure(http, () -> base.resolve("/runs/" + ids.get(random.nextInt(ids.size()))))));
                report.append(row("GET /runs (runs page, HTML)", measure(http, () -> base.resolve("/runs"))));
                report.append(row("GET / (overview, HTML)", measure(http, () -> base.resolve("/"))));
                report.append('\n').append(firstPaint(base));
            }
        }
        System.out.println(report);
        Path out = Path.of("target", "benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("server.md"), report.toString());
    }

    /** Inserts runs (newest last, one a second) with three steps each, in one transaction per 10,000. */
    private static List<String> fill(Flywheel flywheel, int count) {
        RunRecords records = new RunRecords(flywheel.metadata());
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>(count);
        flywheel.metadata().write(c -> {
            records.savePipeline(c, "bench", "", "{}", start);
            return null;
        });
        for (int from = 0; from < count; from += 10_000) {
            int first = from;
            flywheel.metadata().write(c -> {
                for (int i = first; i < Math.min(count, first + 10_000); i++) {
                    String id = UUID.randomUUID().toString();
                    Instant at = start.plusSeconds(i);
                    RunStatus status = i % 20 == 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
                    records.insertRun(c, new RunRecord(id, "bench", status, at, at.plusMillis(900), i % 10 == 0 ? "schedule:s1" : "manual",
                            "{}", status == RunStatus.FAILED ? "boom" : null, "bench-host", 1, null));
                    for (String step : List.of("load", "train", "evaluate")) {
                        records.saveStepRun(c, new StepRunRecord(UUID.randomUUID().toString(), id, step, "bench." + step,
                                step.equals("load") && i % 3 == 0 ? StepStatus.CACHED : StepStatus.SUCCEEDED, "k", null, "h", "{}", 1,
                                at, at.plusMillis(300), null, "log of " + step + "\n", null));
                    }
                    ids.add(id);
                }
                return null;
            });
        }
        return ids;
    }

    private static String cursorAt(HttpClient http, URI base, int position) throws Exception {
        String cursor = null;
        for (int seen = 0; seen < position; seen += 1000) {
            var body = ServerFixture.JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/v1/runs?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor))).build(), HttpResponse.BodyHandlers.ofString()).body());
            cursor = body.get("nextCursor").asText();
        }
        return cursor;
    }

    private static long[] measure(HttpClient http, java.util.function.Supplier<URI> uri) throws Exception {
        for (int i = 0; i < 100; i++) {
            send(http, uri.get());
        }
        long[] nanos = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            URI u = uri.get();
            long t = System.nanoTime();
            send(http, u);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void send(HttpClient http, URI u) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(u.toString()).isEqualTo(200);
    }

    private static String row(String what, long[] sorted) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /** First contentful paint of the overview, fresh navigations, beside a page with nothing to compute (the health JSON). */
    private static String firstPaint(URI base) {
        if (!Files.isExecutable(Browser.CHROMIUM) || !Files.isExecutable(Browser.DRIVER)) {
            return "First paint: skipped (Debian's chromium and chromium-driver are not installed)\n";
        }
        StringBuilder out = new StringBuilder("| page (headless Chromium, 20 loads) | first contentful paint median ms | p90 ms |\n|---|---|---|\n");
        try (Browser browser = Browser.start(1280, 900)) {
            for (String page : List.of("/api/v1/health", "/", "/runs")) {
                long[] paints = new long[20];
                for (int i = 0; i < paints.length; i++) {
                    browser.driver.get("about:blank");
                    browser.driver.get(base.resolve(page).toString());
                    Object fcp = ((JavascriptExecutor) browser.driver).executeScript(
                            "var p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? Math.round(p.startTime) : -1;");
                    paints[i] = ((Number) fcp).longValue();
                }
                Arrays.sort(paints);
                out.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", page.equals("/api/v1/health") ? "/api/v1/health (floor)" : page,
                        paints[paints.length / 2], paints[(int) (paints.length * 0.9) - 1]));
            }
        }
        return out.toString();
    }

}
