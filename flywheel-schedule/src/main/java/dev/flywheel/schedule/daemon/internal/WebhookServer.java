package dev.flywheel.schedule.daemon.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook endpoint's HTTP/1.1 server, built so that slow or idle clients cannot hold back the calls that
 * matter. The JDK's built-in server reads a request's head and body on a small fixed pool with no time limit, so two
 * connections trickling bytes blocked every delivery; here:
 * <ul>
 *   <li>each connection is read on its own virtual thread, so readers never queue behind each other;</li>
 *   <li>the whole request (head and body) must arrive within {@link Limits#requestTimeout()}, else the server answers
 *       408 and closes the connection;</li>
 *   <li>at most {@link Limits#maxConnections()} are open at once; one more is answered 503 at once and closed;</li>
 *   <li>the {@link Handler} sees the head before the body is read, so a call without a valid signature header, for
 *       an unknown or paused trigger, is refused without reading its body ({@code Expect: 100-continue} is answered
 *       only after that check).</li>
 * </ul>
 * One request per connection ({@code Connection: close}); a body needs {@code Content-Length} (411 without, 413 over
 * the limit) - what webhook senders send. Binds to the loopback address only.
 */
final class WebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
    private static final int BUSY_DRAIN_MILLIS = 500;

    /**
     * @param maxConnections connections open at once; more are refused with 503
     * @param requestTimeout how long one request (head and body) may take to arrive
     * @param maxHeadBytes   request line and headers together; more is refused with 431
     * @param maxBodyBytes   the largest body read; a larger Content-Length is refused with 413 before reading
     */
    record Limits(int maxConnections, Duration requestTimeout, int maxHeadBytes, int maxBodyBytes) {
        Limits {
            if (maxConnections < 1 || requestTimeout.isNegative() || requestTimeout.isZero() || maxHeadBytes < 256 || maxBodyBytes < 0) {
                throw FlywheelException.invalid("Webhook limits must allow at least one connection, a positive request"
                        + " timeout and 256 header bytes; got " + maxConnections + ", " + requestTimeout + ", " + maxHeadBytes);
            }
        }
    }

    /** A request's head: method, path (no query) and headers (names matched ignoring case; the first of repeats). */
    record Head(String method, String path, Map<String, String> headers) {
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response json(int status, String json) {
            return new Response(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Answers requests; called on the connection's virtual thread, many at once. */
    interface Handler {
        /** Decides on the head alone: a response ends the exchange without reading the body; empty reads it. */
        Optional<Response> head(Head head);

        /** Answers a request whose head {@link #head} let through, with its whole body. */
        Response body(Head head, byte[] body);

        /** The JSON error body for a problem the server itself found (timeout, size, too many connections). */
        String error(ErrorCode code, String message);
    }

    private final Limits limits;
    private final Handler handler;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final ScheduledExecutorService deadlines;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private WebhookServer(Limits limits, Handler handler, ServerSocket socket) {
        this.limits = limits;
        this.handler = handler;
        this.socket = socket;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("flywheel-webhook-deadlines").daemon(true).factory());
        this.acceptor = Thread.ofPlatform().name("flywheel-webhook-accept").daemon(true).unstarted(this::acceptLoop);
    }

    /** Listens on 127.0.0.1:{@code port} (0 for any free port) and starts accepting. */
    static WebhookServer start(int port, Limits limits, Handler handler) {
        ServerSocket s;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot listen for webhooks on 127.0.0.1:" + port + ": "
                    + e.getMessage() + "; pick another port with --webhook-port (0 for any free one)", e);
        }
        WebhookServer server = new WebhookServer(limits, handler, s);
        server.acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Connections open right now (for tests and status). */
    int openConnections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("webhook accept failed: {}", e.toString());
                }
                continue;
            }
            if (connections.incrementAndGet() > limits.maxConnections()) {
                connections.decrementAndGet();
                refuseBusy(client);
                continue;
            }
            open.add(client);
            Thread.ofVirtual().name("flywheel-webhook-" + client.getPort()).start(() -> serve(client));
        }
    }

    /**
     * Answers 503 on a short-lived virtual thread of its own, so the acceptor never blocks: the answer is written at
     * once, then whatever the client already sent is drained briefly, because closing a socket with unread input
     * resets it and the client could lose the answer.
     */
    private void refuseBusy(Socket client) {
        Thread.ofVirtual().name("flywheel-webhook-busy").start(() -> {
            try (client) {
                client.setSoTimeout(BUSY_DRAIN_MILLIS);
                write(client.getOutputStream(), Response.json(503, handler.error(ErrorCode.UNAVAILABLE, "Too many open webhook"
                        + " connections (" + limits.maxConnections() + "); retry shortly")), Map.of("Retry-After", "1"));
                client.shutdownOutput();
                client.getInputStream().readNBytes(64 * 1024);
            } catch (IOException e) {
                // the client is gone, or sent nothing more before the drain ended
            }
        });
    }

    private void serve(Socket client) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> timeOut(client), limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try (client) {
            // a backstop only: the deadline task answers 408 and closes first
            client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.requestTimeout().toMillis() + 5_000));
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 8192);
            OutputStream out = client.getOutputStream();
            Response response = exchange(in, out);
            if (deadline.cancel(false)) {
                write(out, response, Map.of());
            }
        } catch (IOException e) {
            // a client that went away, or a connection closed by its deadline: nothing left to answer
            log.debug("webhook connection ended: {}", e.toString());
        } finally {
            deadline.cancel(false);
            open.remove(client);
            connections.decrementAndGet();
        }
    }

    private Response exchange(InputStream in, OutputStream out) throws IOException {
        Head head;
        try {
            head = readHead(in);
        } catch (BadRequest e) {
            return Response.json(e.status, handler.error(ErrorCode.INVALID_ARGUMENT, e.getMessage()));
        }
        Optional<Response> early = handler.head(head);
        if (early.isPresent()) {
            return early.get();
        }
        if (head.headers().containsKey("Transfer-Encoding") || !head.headers().containsKey("Content-Length")) {
            return Response.json(411, handler.error(ErrorCode.INVALID_ARGUMENT, "Send the body with a Content-Length header"));
        }
        long length;
        try {
            length = Long.parseLong(head.headers().get("Content-Length").strip());
        } catch (NumberFormatException e) {
            return Response.json(400, handler.error(ErrorCode.INVALID_ARGUMENT, "Content-Length is not a number"));
        }
        if (length < 0 || length > limits.maxBodyBytes()) {
            return Response.json(413, handler.error(ErrorCode.INVALID_ARGUMENT, "Body of " + length + " bytes is over the limit of "
                    + limits.maxBodyBytes() + " bytes"));
        }
        if ("100-continue".equalsIgnoreCase(head.headers().getOrDefault("Expect", ""))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("body ended after " + body.length + " of " + length + " bytes");
        }
        return handler.body(head, body);
    }

    private static final class BadRequest extends Exception {
        private final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Reads the request line and headers, up to the blank line, within the head size limit. */
    private Head readHead(InputStream in) throws IOException, BadRequest {
        byte[] buf = new byte[limits.maxHeadBytes()];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request head ended");
            }
            if (n == buf.length) {
                throw new BadRequest(431, "Request head is over " + limits.maxHeadBytes() + " bytes");
            }
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                break;
            }
        }
        String[] lines = new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "Malformed request line");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "Malformed header line " + i);
            }
            headers.putIfAbsent(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        return new Head(requestLine[0].toUpperCase(Locale.ROOT), query < 0 ? target : target.substring(0, query),
                Collections.unmodifiableMap(headers));
    }

    /** At the deadline: answers 408 and closes the connection, which ends the read its thread is blocked in. */
    private void timeOut(Socket client) {
        try (client) {
            write(client.getOutputStream(), Response.json(408, handler.error(ErrorCode.INVALID_ARGUMENT, "The request did not"
                    + " arrive within " + limits.requestTimeout().toMillis() + " ms")), Map.of());
            client.shutdownOutput();
        } catch (IOException e) {
            // closing is what matters
        }
    }

    private static void write(OutputStream out, Response r, Map<String, String> extra) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.putAll(extra);
        headers.put("Content-Length", Integer.toString(r.body().length));
        headers.put("Connection", "close");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(r.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Status";
        };
    }

    /** Stops accepting and closes every open connection. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        deadlines.shutdownNow();
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
