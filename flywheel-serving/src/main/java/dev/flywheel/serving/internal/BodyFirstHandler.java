package dev.flywheel.serving.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reads a request's whole body before any handler runs, without holding a thread while bytes trickle in: chunks are
 * collected in demand callbacks, and the handlers below get the body from memory. A client that sends its body at one
 * byte per second therefore holds a connection, never a worker.
 *
 * <p>A body must be complete within {@code readTimeoutMillis} of its first wait for more bytes (408 and the
 * connection closed otherwise), and may not exceed {@code maxBodyBytes} (413 before reading when Content-Length says
 * so, else as soon as the limit is passed).
 */
final class BodyFirstHandler extends Handler.Wrapper {
    private final long maxBodyBytes;
    private final long readTimeoutMillis;
    private final Supplier<String> servedVersion;

    BodyFirstHandler(long maxBodyBytes, long readTimeoutMillis, Supplier<String> servedVersion) {
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMillis = readTimeoutMillis;
        this.servedVersion = servedVersion;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared <= 0 && !chunked) {
            return super.handle(request, response, callback);
        }
        if (declared > maxBodyBytes) {
            reject(response, callback, 413, "request body of " + declared + " bytes is over the limit of " + maxBodyBytes
                    + " bytes; send fewer rows per request");
            return true;
        }
        new Collector(request, response, callback, declared).start();
        return true;
    }

    private void reject(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // The rest of the body is not read; closing stops the client from sending it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpApi.VERSION_HEADER, servedVersion.get());
        response.write(true, ByteBuffer.wrap(Json.error(message)), callback);
    }

    /** One request's body on its way in; exactly one of dispatch, 408, 413 or failure ends it. */
    private final class Collector implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final AtomicBoolean ended = new AtomicBoolean();
        private byte[] body;
        private int size;
        /** Set once, before the first wait for more bytes: a body that came with its headers costs no timer. */
        private volatile Scheduler.Task deadline;

        Collector(Request request, Response response, Callback callback, long declared) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.body = new byte[(int) Math.max(0, Math.min(declared, 64 * 1024))];
        }

        void start() {
            run();
        }

        @Override
        public void run() {
            while (!ended.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (deadline == null) {
                        deadline = request.getComponents().getScheduler().schedule(this::expire, readTimeoutMillis, TimeUnit.MILLISECONDS);
                    }
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // An idle timeout or a broken connection: nobody may be listening, but say what happened.
                    if (end()) {
                        reject(response, callback, 408, "request body not received: " + chunk.getFailure().getMessage());
                    }
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if ((long) size + n > maxBodyBytes) {
                    chunk.release();
                    if (end()) {
                        reject(response, callback, 413, "request body of more than " + maxBodyBytes
                                + " bytes is over the limit of " + maxBodyBytes + " bytes; send fewer rows per request");
                    }
                    return;
                }
                if (size + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(maxBodyBytes, Math.max(size + n, 2L * body.length)));
                }
                bytes.get(body, size, n);
                size += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    if (end()) {
                        dispatch();
                    }
                    return;
                }
            }
        }

        private boolean end() {
            if (ended.compareAndSet(false, true)) {
                Scheduler.Task timer = deadline;
                if (timer != null) {
                    timer.cancel();
                }
                return true;
            }
            return false;
        }

        private void expire() {
            if (end()) {
                reject(response, callback, 408, "request body not complete after " + readTimeoutMillis + " ms ("
                        + size + " bytes received); send the whole body at once");
            }
        }

        private void dispatch() {
            Request complete = new InMemoryBody(request, size == body.length ? body : Arrays.copyOf(body, size));
            try {
                if (!BodyFirstHandler.super.handle(complete, response, callback)) {
                    Response.writeError(complete, response, callback, 404);
                }
            } catch (Throwable t) {
                Response.writeError(complete, response, callback, t);
            }
        }
    }

    /** The request with its body already in memory: reads never wait. */
    private static final class InMemoryBody extends Request.Wrapper {
        private final long length;
        private Content.Chunk next;

        InMemoryBody(Request request, byte[] body) {
            super(request);
            this.length = body.length;
            this.next = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk chunk = next;
            next = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public synchronized boolean consumeAvailable() {
            next = Content.Chunk.EOF;
            return true;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}
