package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Test helpers: linear model files (prediction = 100*version + 1*temp + 2*hum + 3*wind) and an HTTP client. */
final class Fixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(Feature.fp32("temp"), Feature.fp32("hum"), new Feature("wind", FeatureType.FP32, true)),
            List.of(Feature.fp32("prediction")));
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Fixture() {
    }

    static float expected(int version, float temp, float hum, float wind) {
        return 100f * version + temp + 2 * hum + 3 * wind;
    }

    static ModelVersionSpec linear(Path dir, int version) {
        return linear(dir, version, "", SIGNATURE);
    }

    static ModelVersionSpec linear(Path dir, int version, String extra, ModelSignature sig) {
        Path file = dir.resolve("model-v" + version + "-" + Math.abs(extra.hashCode()) + ".txt");
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < sig.inputs().size(); i++) {
            w.append(i == 0 ? "" : ",").append(i + 1);
        }
        write(file, "bias=" + (100 * version) + "\nweights=" + w + "\n" + extra);
        return new ModelVersionSpec("bike", version, "linear", file, sig);
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> get(PredictionServer server, String path) {
        return send(HttpRequest.newBuilder(uri(server, path)).GET().build());
    }

    static HttpResponse<String> post(PredictionServer server, String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> postJson(PredictionServer server, String path, String body) {
        return post(server, path, "application/json", body);
    }

    static URI uri(PredictionServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes (parking 1 ms between looks). */
    static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    static String error(HttpResponse<String> response) {
        return json(response).path("error").asText();
    }
}
