package dev.flywheel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A project filled by real runs of {@link TinyPipelines} (three model versions) and a real server on it, on loopback
 * and an ephemeral port, with a small HTTP client for the tests.
 */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Flywheel flywheel;
    final FlywheelServer server;
    final List<RunResult> runs = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerFixture(Path dir, ServerSettings settings) {
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
        for (int rows : new int[]{100, 200, 300}) {
            RunResult r = flywheel.run(TinyPipelines.pipeline(rows), RunOptions.defaults(), RunListener.NONE);
            if (r.status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("fixture run failed: " + r.steps());
            }
            runs.add(r);
        }
        server = FlywheelServer.start(flywheel, settings, Clock.systemUTC());
    }

    ServerFixture(Path dir) {
        this(dir, ServerSettings.defaults().withPort(0));
    }

    ServerTokens tokens() {
        return new ServerTokens(flywheel.home().dir(), Clock.systemUTC());
    }

    URI uri(String path) {
        return server.url().resolve(path);
    }

    Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    Response post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (status " + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    @Override
    public void close() {
        server.close();
        flywheel.close();
    }
}
