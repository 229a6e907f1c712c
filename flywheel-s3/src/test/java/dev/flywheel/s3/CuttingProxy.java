package dev.flywheel.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that forwards to a server until a budget of bytes in one direction is spent, then cuts
 * every connection (a network that dies mid-upload). While cut, new connections are accepted and closed at once.
 * {@link #heal} lets traffic through again. Close it to stop.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicLong budget;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean wasCut;
    private final Thread acceptor;

    private final boolean healAfterCut;
    private final boolean countUploads;

    /** Which bytes spend the budget. */
    enum Direction { UPLOAD, DOWNLOAD }

    /**
     * @param healAfterCut whether connections made after the cut go through (a network that blipped once) or are
     *                     closed at once too (a network that is gone)
     */
    CuttingProxy(int upstreamPort, long cutAfterBytes, Direction direction, boolean healAfterCut) throws IOException {
        this.healAfterCut = healAfterCut;
        this.countUploads = direction == Direction.UPLOAD;
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.budget = new AtomicLong(cutAfterBytes);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes of the counted direction forwarded so far. */
    long forwarded() {
        return forwarded.get();
    }

    /** Whether the budget was spent (even if connections go through again since). */
    boolean wasCut() {
        return wasCut;
    }

    /** Forwards everything from now on. */
    void heal() {
        budget.set(Long.MAX_VALUE);
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket remote = new Socket();
                remote.connect(upstream, 5_000);
                open.add(client);
                open.add(remote);
                Thread.ofVirtual().start(() -> pump(client, remote, countUploads));
                Thread.ofVirtual().start(() -> pump(remote, client, !countUploads));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counted) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (counted) {
                    long left = budget.addAndGet(-n);
                    if (left < 0) {
                        int allowed = (int) Math.max(0, n + left);
                        out.write(buffer, 0, allowed);
                        out.flush();
                        forwarded.addAndGet(allowed);
                        cutAll();
                        return;
                    }
                    forwarded.addAndGet(n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the other side went away or we cut it
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void cutAll() {
        cut = true;
        wasCut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
        if (healAfterCut) {
            heal();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
        acceptor.interrupt();
    }
}
