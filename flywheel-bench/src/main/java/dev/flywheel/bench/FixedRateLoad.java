package dev.flywheel.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate HTTP load generator (what wrk2 does; wrk2 is not packaged in Debian). Request {@code i} is due at
 * {@code start + i / rate}; latency is measured from that due time, not from when the request was actually sent,
 * so a stalled server is charged for every request it delayed (no coordinated omission). Requests are spread
 * round-robin over keep-alive connections, one thread each; JDK only, run it with
 * {@code java FixedRateLoad.java URL BODY_FILE RATE SECONDS [CONNECTIONS]}.
 */
public final class FixedRateLoad {
    private FixedRateLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: FixedRateLoad http://127.0.0.1:PORT/path BODY_FILE RATE_PER_SECOND SECONDS [CONNECTIONS]");
            System.exit(2);
        }
        java.net.URI uri = java.net.URI.create(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        byte[] request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] full = Arrays.copyOf(request, request.length + body.length);
        System.arraycopy(body, 0, full, request.length, body.length);

        // Warm-up: 2 seconds at the same rate, not recorded.
        run(uri, full, rate, 2, connections);
        long[] latencies = run(uri, full, rate, seconds, connections);
        Arrays.sort(latencies);
        int n = latencies.length;
        System.out.printf("requests=%d rate=%d/s connections=%d p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms%n",
                n, rate, connections, ms(latencies[n / 2]), ms(latencies[(int) (n * 0.90)]), ms(latencies[(int) (n * 0.99)]),
                ms(latencies[Math.min(n - 1, (int) (n * 0.999))]), ms(latencies[n - 1]));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long[] run(java.net.URI uri, byte[] request, int rate, int seconds, int connections) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        Thread[] threads = new Thread[connections];
        Exception[] failure = new Exception[1];
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads[c] = Thread.ofPlatform().start(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
                    for (int i = first; i < total; i += connections) {
                        long due = start + i * intervalNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        if (status != 200) {
                            throw new IOException("HTTP " + status + " for request " + i);
                        }
                        latencies[i] = System.nanoTime() - due;
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return latencies;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns the status code. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = -1;
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(header.substring(colon + 1).strip());
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length");
        }
        in.readNBytes(length);
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
