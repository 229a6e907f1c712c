package dev.flywheel.server;

import dev.flywheel.deploy.DeployRequest;
import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.RolloutPlan;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutRequest;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.predictionlog.LogSchema;
import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.predictionlog.PredictionLogSettings;
import dev.flywheel.predictionlog.PredictionLogs;
import dev.flywheel.registry.ModelRef;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * A live deployment on the fixture's project: tiny version 2 served by a real server process, a canary of version 3
 * on it (50% then 100%) whose analyses measured real requests, and logged predictions of version 3 whose x1 moved
 * far from its training range (so the drift page has a drifted feature to show).
 */
record LiveRollout(ServerFixture f, Service service, String rolloutId) implements AutoCloseable {
    static final long MIN_SAMPLES = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    static LiveRollout start(ServerFixture f) throws Exception {
        Service service = f.flywheel.deployments().deploy(DeployRequest.of(ModelRef.version("tiny", 2), TIMEOUT).asNew("tiny-live", 0));
        LiveRollout live = null;
        try {
            logShiftedPredictions(f, 3);
            // The interval floor (10 s) is for people; analyses every 700 ms keep the test short, with the same controller.
            RolloutRecord r = f.flywheel.rollouts().withIntervalFloorForTestsOnly(Duration.ofMillis(100)).start(new RolloutRequest(
                    ModelRef.version("tiny", 3), RolloutPlan.canary(List.of(50, 100), Duration.ofHours(1),
                    new AnalysisConfig(Duration.ofMillis(700), 3, MIN_SAMPLES, 0.5, null, null)), null));
            live = new LiveRollout(f, service, r.id().toString());
            live.sendRequestsUntilAnAnalysisMeasuredThem();
            return live;
        } catch (Exception | AssertionError e) {
            if (live == null) {
                f.flywheel.deployments().delete(service.record().uuid(), Duration.ofSeconds(10), true);
            } else {
                live.close();
            }
            throw e;
        }
    }

    private void sendRequestsUntilAnAnalysisMeasuredThem() throws Exception {
        sendRequestsUntil("an analysis measured " + MIN_SAMPLES + " requests", () -> f.flywheel.rollouts().status(rolloutId).decisions().stream()
                .anyMatch(d -> d.checks().stream().anyMatch(c -> c.samples() >= MIN_SAMPLES)));
    }

    /** Sends prediction requests to the live server, one after another, until {@code done} (at most 90 s). */
    void sendRequestsUntil(String what, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Random random = new Random(3);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + " of requests: " + what + "; rollout "
                        + f.flywheel.rollouts().status(rolloutId).decisions());
            }
            for (int i = 0; i < 20; i++) {
                String body = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [" + random.nextFloat()
                        + ", " + random.nextFloat() + "]}]}";
                HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(service.predictionUrl())).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new AssertionError("the live server answered " + r.statusCode() + ": " + r.body());
                }
            }
        }
    }

    /** 200 rows answered by {@code version}, through the real log writer, with x1 moved by +2 (trained on 0..1). */
    private static void logShiftedPredictions(ServerFixture f, int version) {
        LogSchema schema = new LogSchema("tiny", version, TinyPipelines.FEATURES, List.of("prediction"));
        Random random = new Random(11);
        try (PredictionLog log = PredictionLogs.open(PredictionLogSettings.of(PredictionLogSettings.inProject(f.flywheel.home().dir())))) {
            for (int i = 0; i < 200; i++) {
                float[] row = {2 + random.nextFloat(), random.nextFloat()};
                log.record(new PredictionEvent("shifted-" + i, Instant.now(), schema, 1, row, new float[]{1f}, 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        f.flywheel.deployments().delete(service.record().uuid(), Duration.ofSeconds(10), true);
    }
}
