package dev.flywheel.bench.serving;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * Candidate HTTP stacks for the prediction path, each answering {@code POST /hello} (body read whole, small JSON
 * written with a Content-Length), the ceiling a stack allows before any prediction work:
 * {@code vertx} (Vert.x 5, event loop per core), {@code jetty} (Jetty 12's core Handler API: no servlet layer, no
 * Javalin), {@code jdk} (the JDK's com.sun.net.httpserver with a virtual thread per request). Javalin's own hello is
 * flywheel-serving's BenchServerMain. Writes the port to the file given last; runs until killed.
 * <pre>java -cp ... dev.flywheel.bench.serving.HelloStacks vertx|jetty|jdk PORTFILE</pre>
 */
public final class HelloStacks {
    private static final byte[] HELLO = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    private HelloStacks() {
    }

    public static void main(String[] args) throws Exception {
        int port = switch (args[0]) {
            case "vertx" -> vertx();
            case "jetty" -> jetty();
            case "jdk" -> jdk();
            default -> throw new IllegalArgumentException("vertx, jetty or jdk, not " + args[0]);
        };
        Files.writeString(Path.of(args[1]), Integer.toString(port));
        new CountDownLatch(1).await();
    }

    private static int vertx() throws Exception {
        Vertx vertx = Vertx.vertx();
        var server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> req.body().onSuccess(body -> req.response()
                        .putHeader("Content-Type", "application/json")
                        .end(io.vertx.core.buffer.Buffer.buffer(HELLO))));
        return server.listen().toCompletionStage().toCompletableFuture().get().actualPort();
    }

    private static int jetty() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(32, 8);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asByteBufferAsync(request).whenComplete((body, failure) -> {
                    if (failure != null) {
                        callback.failed(failure);
                        return;
                    }
                    response.getHeaders().put("Content-Type", "application/json");
                    response.getHeaders().put("Content-Length", HELLO.length);
                    response.write(true, ByteBuffer.wrap(HELLO), callback);
                });
                return true;
            }
        });
        server.start();
        return connector.getLocalPort();
    }

    private static int jdk() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hello", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, HELLO.length);
            exchange.getResponseBody().write(HELLO);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }
}
