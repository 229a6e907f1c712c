package dev.flywheel.deploy.local;

import dev.flywheel.serving.api.ServingProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One GET of a local prediction server's readiness endpoint over a plain socket, with one timeout for connect and
 * read. Deliberately not {@code java.net.http.HttpClient}: a short command such as {@code served-models list} would
 * spend more time starting that client (threads, a few hundred classes) than probing.
 */
final class HealthProbe {
    static final String PATH = ServingProtocol.READY_PATH;

    private HealthProbe() {
    }

    /** Whether {@code 127.0.0.1:port} answers {@code GET /v2/health/ready} with 200 within {@code timeout}. */
    static boolean ready(int port, Duration timeout) {
        if (port <= 0) {
            return false;
        }
        int ms = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return statusCode(socket.getInputStream()) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status code of an HTTP/1.x status line ({@code HTTP/1.1 200 OK}), or -1. */
    private static int statusCode(InputStream in) throws IOException {
        byte[] line = new byte[64];
        int n = 0;
        for (int b; n < line.length && (b = in.read()) != -1 && b != '\n'; ) {
            line[n++] = (byte) b;
        }
        String status = new String(line, 0, n, StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
