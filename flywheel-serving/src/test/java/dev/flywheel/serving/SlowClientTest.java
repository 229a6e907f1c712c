package dev.flywheel.serving;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and idle clients (all on loopback, with bounded connections and time): they hold connections, never the
 * workers that answer everyone else.
 */
class SlowClientTest {
    private static final String ROW = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";

    @TempDir
    Path dir;

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }

    private Socket open(PredictionServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        return s;
    }

    /** Request headers promising a body of {@code length} bytes; the caller sends the body (or not). */
    private static void startPost(Socket s, int length) throws IOException {
        String head = "POST /v2/models/bike/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static HttpResponse<String> infer(PredictionServer server, Duration timeout) {
        return Fixture.send(HttpRequest.newBuilder(Fixture.uri(server, "/v2/models/bike/infer")).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ROW)).build());
    }

    /** Reads what the server sent until it closes the connection, or fails after {@code timeout}. */
    private static String readUntilClosed(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        InputStream in = s.getInputStream();
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + timeout + "; got so far: " + out);
        } catch (IOException reset) {
            // a reset after the response is a close too
        }
        return out.toString();
    }

    @Test
    void fortyConnectionsTricklingBodiesAtOneBytePerSecondDoNotSlowNormalRequests() throws Exception {
        // The probe's setup: the default 32 workers, 40 attackers each promising 1000 bytes and sending one a second.
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            assertThat(infer(server, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
            List<OutputStream> attackers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Socket s = open(server);
                startPost(s, 1000);
                attackers.add(s.getOutputStream());
            }
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                trickle.scheduleAtFixedRate(() -> attackers.forEach(out -> {
                    try {
                        out.write('[');
                        out.flush();
                    } catch (IOException closed) {
                        // the server may cut an attacker; the others go on
                    }
                }), 0, 1, TimeUnit.SECONDS);
                long worstNanos = 0;
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                int answered = 0;
                while (System.nanoTime() < until || answered < 20) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = infer(server, Duration.ofSeconds(2));
                    worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                    assertThat(r.statusCode()).isEqualTo(200);
                    answered++;
                }
                // Normal requests take about a millisecond here; a starved pool would make them time out (2 s).
                assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofMillis(1000));
            } finally {
                trickle.shutdownNow();
            }
        }
    }

    @Test
    void aBodyStillIncompleteAfterTheReadTimeoutGets408AndTheConnectionIsClosed() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.requestReadTimeoutMillis = 500).start(Fixture.linear(dir, 1))) {
            Socket s = open(server);
            startPost(s, 1000);
            s.getOutputStream().write('[');
            s.getOutputStream().flush();
            String response = readUntilClosed(s, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 408").contains("not complete after 500 ms").contains("X-Model-Version: 1");
            assertThat(infer(server, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.maxBodyBytes = 4096).start(Fixture.linear(dir, 1))) {
            Socket s = open(server);
            startPost(s, 1_000_000);
            String response = readUntilClosed(s, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 413").contains("over the limit of 4096 bytes");
        }
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitIsRefusedWith413() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.maxBodyBytes = 4096).start(Fixture.linear(dir, 1))) {
            Socket s = open(server);
            OutputStream out = s.getOutputStream();
            out.write(("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "1,2,3\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntilClosed(s, Duration.ofSeconds(5))).startsWith("HTTP/1.1 413").contains("over the limit of 4096");
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.idleTimeoutMillis = 300).start(Fixture.linear(dir, 1))) {
            Socket s = open(server);
            assertThat(readUntilClosed(s, Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void atTheConnectionCapIdleConnectionsAreCutSoNewClientsGetIn() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.maxConnections = 8).start(Fixture.linear(dir, 1))) {
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                idle.add(open(server));
            }
            // The cap is reached: the server stops accepting, and the idle timeout of the connections it holds drops
            // from 30 s to 1 s. The new client waits in the backlog only until they are cut.
            long start = System.nanoTime();
            assertThat(infer(server, Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            // Once a cut brings the count under the cap, the survivors get the configured 30 s back (as the test
            // below shows), so a connection the first cut spared closes only then: wait past that, not 5 s.
            for (Socket s : idle.subList(0, 7)) {
                assertThat(readUntilClosed(s, Duration.ofSeconds(40))).isEmpty();
            }
        }
    }

    @Test
    void belowTheConnectionCapIdleConnectionsKeepTheConfiguredIdleTimeout() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.maxConnections = 8).start(Fixture.linear(dir, 1))) {
            Socket s = open(server);
            s.setSoTimeout((int) (ServerConfig.CAPPED_IDLE_TIMEOUT_MILLIS * 2));
            boolean stillOpen;
            try {
                stillOpen = s.getInputStream().read() != -1;
            } catch (SocketTimeoutException e) {
                stillOpen = true;
            }
            assertThat(stillOpen).isTrue();
        }
    }
}
