package dev.flywheel.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The slow-body attack of issue 11: {@code CONNECTIONS} connections each promise a 1,000-byte body and send one
 * byte per second for {@code SECONDS}, then close. JDK only; run it with
 * {@code java SlowClients.java http://127.0.0.1:PORT/path CONNECTIONS SECONDS} beside a load generator.
 */
public final class SlowClients {
    private SlowClients() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SlowClients http://127.0.0.1:PORT/path CONNECTIONS SECONDS");
            System.exit(2);
        }
        java.net.URI uri = java.net.URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket(uri.getHost(), uri.getPort());
            s.getOutputStream().write(head);
            s.getOutputStream().flush();
            sockets.add(s);
        }
        int cut = 0;
        long start = System.nanoTime();
        for (int second = 0; second < seconds; second++) {
            for (Socket s : sockets) {
                if (s.isClosed()) {
                    continue;
                }
                try {
                    OutputStream out = s.getOutputStream();
                    out.write('[');
                    out.flush();
                } catch (IOException closedByServer) {
                    s.close();
                    cut++;
                }
            }
            long next = start + (second + 1) * 1_000_000_000L;
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        for (Socket s : sockets) {
            s.close();
        }
        System.out.println("slow clients: " + connections + " connections trickled 1 byte/s for " + seconds + " s; "
                + cut + " were cut by the server");
    }
}
