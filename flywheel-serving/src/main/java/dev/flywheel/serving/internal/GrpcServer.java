package dev.flywheel.serving.internal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC listener (Netty, HTTP/2, plaintext) on its own port beside the REST one. Calls run on a fixed pool of
 * the server's worker count, never on Netty's event loop, so a slow prediction (or a batch being gathered) never
 * stalls I/O. Messages over the body limit are refused by gRPC itself with RESOURCE_EXHAUSTED.
 */
public final class GrpcServer {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    /** What the listener needs, already validated. */
    public record Settings(String host, int port, int threads, long maxMessageBytes, long idleTimeoutMillis,
                           String serverVersion) {
    }

    private final Settings settings;
    private final ModelSlot slot;
    private final Scoring scoring;
    private volatile boolean closing;
    private Server server;
    private ExecutorService executor;

    public GrpcServer(Settings settings, ModelSlot slot, Scoring scoring) {
        this.settings = settings;
        this.slot = slot;
        this.scoring = scoring;
    }

    /** Binds and starts serving; returns the bound port. */
    public int start() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "serving-grpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(settings.threads(), threads);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()))
                .executor(executor)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxMessageBytes()))
                .maxConnectionIdle(settings.idleTimeoutMillis(), TimeUnit.MILLISECONDS)
                .addService(new GrpcInference(slot, scoring, settings.serverVersion(), () -> closing))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen for gRPC on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage() + "; pick another --grpc-port (0 picks a free one)", e);
        }
        return server.getPort();
    }

    /** Stops accepting calls; those in flight go on (see {@link #drain}). */
    public void refuseNewCalls() {
        closing = true;
        if (server != null) {
            server.shutdown();
        }
    }

    /**
     * Waits until {@code deadlineNanos} ({@link System#nanoTime()}) for the calls in flight, then cuts the rest.
     *
     * @return whether every call finished in time
     */
    public boolean drain(long deadlineNanos) {
        if (server == null) {
            return true;
        }
        boolean drained;
        try {
            drained = server.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            log.warn("stopping gRPC with calls still in flight at the shutdown deadline");
            server.shutdownNow();
        }
        executor.shutdownNow();
        return drained;
    }
}
