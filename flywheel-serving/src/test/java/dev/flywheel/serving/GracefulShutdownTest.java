package dev.flywheel.serving;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.flywheel.serving.Fixture.expected;
import static dev.flywheel.serving.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightDuringCloseCompleteSuccessfully() throws Exception {
        PredictionServer server = PredictionServer.create(cfg -> { })
                .start(Fixture.linear(dir, 4, "delay-ms=400", Fixture.SIGNATURE));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(Fixture.CLIENT.sendAsync(HttpRequest.newBuilder(Fixture.uri(server, "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2, " + i + "]]}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Fixture.await(() -> server.status().inFlightRequests() == 4, Duration.ofSeconds(10));
        assertThat(server.status().inFlightRequests()).isEqualTo(4);

        server.close();
        server.close();

        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> r = inFlight.get(i).join();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("predictions").get(0).floatValue()).isEqualTo(expected(4, 1, 2, i));
        }
        assertThat(dev.flywheel.serving.testmodel.LinearFormat.OPEN.get()).isZero();
    }
}
