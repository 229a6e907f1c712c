package dev.flywheel.client;

import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.client.internal.OipJson;
import dev.flywheel.client.internal.OipTransport;
import dev.flywheel.client.internal.grpc.GrpcTransport;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of one model on a Flywheel prediction server (or any server speaking the Open Inference Protocol v2, such
 * as KServe or Triton, and MLflow's {@code /invocations}). Immutable and thread-safe: build one and share it.
 *
 * <pre>{@code
 * PredictionClient demand = PredictionClient.forUrl("http://127.0.0.1:8080/v2/models/demand/infer");
 * InferResponse r = demand.infer(Tensor.fp32("features", new float[][]{{1, 8, 0, 1, 0, 1, 0.5f, 0.6f, 0.2f}}));
 * float[] predicted = r.output().floats();
 * double[] same = demand.invocations(List.of(Map.of("month", 1, "hour", 8, ...))).doubles();
 *
 * try (PredictionClient overGrpc = PredictionClient.builderForGrpc("127.0.0.1:9090", "demand").rawContents(true).build()) {
 *     float[] again = overGrpc.infer(Tensor.fp32("features", rows)).output().floats();
 * }
 * }</pre>
 *
 * <p>Transports: REST (the default) speaks OIP v2 over HTTP/1.1 and MLflow's {@code /invocations}; gRPC
 * ({@link #builderForGrpc}, a server started with {@code --grpc-port}) speaks OIP's {@code GRPCInferenceService}:
 * {@code infer}, {@code metadata}, {@code ready} and {@code modelReady} as ModelInfer (typed contents, or
 * {@code raw_input_contents} with {@link Builder#rawContents}), ModelMetadata, ServerReady and ModelReady. gRPC needs
 * {@code io.grpc:grpc-netty-shaded}, {@code grpc-protobuf} and {@code grpc-stub} on the class path: optional
 * dependencies of this artifact, so that REST users do not carry them. Close a gRPC client to release its connection.
 *
 * <p>Timeouts: {@link Builder#connectTimeout} for connecting, {@link Builder#timeout} for a whole request (over gRPC,
 * the deadline of each call). Retries: only when the connection could not be made (refused, unreachable, connect
 * timeout; over gRPC, a call answered {@code UNAVAILABLE}), with doubling backoff; a request that reached the server
 * is never sent twice, whatever the answer (an HTTP error, a read timeout). Errors are
 * {@link FlywheelException}s: the server's message and the {@link ErrorCode} of its HTTP status, or
 * {@code UNAVAILABLE} when it cannot be reached or does not answer in time.
 */
public final class PredictionClient implements AutoCloseable {
    private static final Pattern INFER_URL = Pattern.compile("(https?://[^/]+)(/.*)?/v2/models/([^/]+)(?:/versions/([^/]+))?/infer/?");

    private final URI base;
    private final String model;
    private final String version;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final HttpClient http;
    /** The gRPC transport, or null for REST. */
    private final OipTransport grpc;

    private PredictionClient(Builder b, OipTransport grpc) {
        this.grpc = grpc;
        this.base = b.base;
        this.model = b.model;
        this.version = b.version;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.backoff = b.backoff;
        this.http = grpc != null ? null
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * A builder for OIP over gRPC to {@code target} ({@code host:port}, the server's {@code --grpc-port}), model
     * {@code model}; plaintext HTTP/2, as the prediction server listens on loopback.
     */
    public static Builder builderForGrpc(String target, String model) {
        Objects.requireNonNull(target, "target");
        int colon = target.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw FlywheelException.invalid("'" + target + "' is not a gRPC target such as 127.0.0.1:9090 (host:port of the server's --grpc-port)");
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Builder(host, port, model);
    }

    /** A builder for the server at {@code baseUrl} ({@code http://host:port}), model {@code model}. */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    /**
     * A client for an OIP infer URL as {@code flywheel served-models get-url} prints it
     * ({@code http://host:port/v2/models/NAME[/versions/V]/infer}), with default settings.
     */
    public static PredictionClient forUrl(String inferUrl) {
        return builderForUrl(inferUrl).build();
    }

    /** A builder for an OIP infer URL, to change its settings. */
    public static Builder builderForUrl(String inferUrl) {
        Matcher m = INFER_URL.matcher(Objects.requireNonNull(inferUrl, "inferUrl"));
        if (!m.matches()) {
            throw FlywheelException.invalid("'" + inferUrl + "' is not an infer URL such as http://127.0.0.1:8080/v2/models/NAME/infer");
        }
        Builder b = new Builder(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(3));
        return m.group(4) == null ? b : b.version(m.group(4));
    }

    public String model() {
        return model;
    }

    /** Sends {@code inputs} to {@code POST /v2/models/NAME/infer} and returns every output. */
    public InferResponse infer(Tensor... inputs) {
        return infer(List.of(inputs), List.of());
    }

    /** Sends {@code inputs}; only the outputs named in {@code outputs} come back (all when empty). */
    public InferResponse infer(List<Tensor> inputs, List<String> outputs) {
        if (inputs.isEmpty()) {
            throw FlywheelException.invalid("infer needs at least one input tensor");
        }
        if (grpc != null) {
            return grpc.infer(model, version, inputs, outputs);
        }
        String path = "/v2/models/" + model + (version == null ? "" : "/versions/" + version) + "/infer";
        HttpResponse<String> r = send(post(path, "application/json", OipJson.inferRequest(inputs, outputs)));
        return OipJson.inferResponse(r.body(), r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER).orElse(null));
    }

    /**
     * Sends rows to MLflow's {@code POST /invocations} as {@code dataframe_records}: one map of column name to value
     * per row, the way a data frame is sent.
     */
    public Predictions invocations(List<? extends Map<String, ?>> records) {
        if (records.isEmpty()) {
            throw FlywheelException.invalid("invocations needs at least one record");
        }
        if (grpc != null) {
            throw FlywheelException.invalid("/invocations is MLflow's REST endpoint and this client speaks gRPC; build one with "
                    + "PredictionClient.forUrl(\"http://HOST:PORT/v2/models/" + model + "/infer\") for it, or send tensors with infer");
        }
        HttpResponse<String> r = send(post("/invocations", "application/json", OipJson.dataframeRecords(records)));
        return OipJson.predictions(r.body(), r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER).orElse(null));
    }

    /** The model's tensors ({@code GET /v2/models/NAME}). */
    public ModelMetadata metadata() {
        if (grpc != null) {
            return grpc.metadata(model, version);
        }
        return OipJson.metadata(send(get(ServingProtocol.modelPath(model))).body());
    }

    /**
     * Whether the server is ready to answer ({@code GET /v2/health/ready} is 200, or gRPC ServerReady says so); false
     * when it cannot be reached.
     */
    public boolean ready() {
        if (grpc != null) {
            return grpc.serverReady();
        }
        return ok(ServingProtocol.READY_PATH);
    }

    /**
     * Whether the server serves this client's model (and version, when it names one) and is ready
     * ({@code GET /v2/models/NAME[/versions/V]/ready} is 200, or gRPC ModelReady says so); false when it cannot be reached.
     */
    public boolean modelReady() {
        if (grpc != null) {
            return grpc.modelReady(model, version);
        }
        return ok("/v2/models/" + model + (version == null ? "" : "/versions/" + version) + "/ready");
    }

    /** Releases the gRPC connection (nothing to release over REST); safe to call twice. */
    @Override
    public void close() {
        if (grpc != null) {
            grpc.close();
        }
    }

    private boolean ok(String path) {
        try {
            HttpResponse<Void> r = http.send(get(path), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest post(String path, String type, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        String what = request.method() + " " + request.uri();
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw httpError(what, r);
                }
                return r;
            } catch (HttpConnectTimeoutException | ConnectException e) {
                if (attempt > retries) {
                    throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot connect to " + base + " (" + what + ") after " + attempt
                            + " attempt" + (attempt == 1 ? "" : "s") + ": " + describe(e) + "; is the server running? (flywheel served-models list)");
                }
                LockSupport.parkNanos(wait.toNanos());
                wait = wait.multipliedBy(2);
            } catch (HttpTimeoutException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "No answer from " + what + " within " + timeout.toMillis()
                        + " ms (not retried: the server may have received it)");
            } catch (IOException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "The connection to " + what + " failed: " + describe(e)
                        + " (not retried: the server may have received it)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while waiting for " + what);
            }
        }
    }

    private static FlywheelException httpError(String what, HttpResponse<String> r) {
        ErrorCode code = switch (r.statusCode()) {
            case 400, 405, 413, 415 -> ErrorCode.INVALID_ARGUMENT;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 422 -> ErrorCode.INVALID_MODEL;
            default -> ErrorCode.UNAVAILABLE;
        };
        return new FlywheelException(code, what + " answered " + r.statusCode() + ": " + OipJson.errorText(r.body()));
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Settings of a {@link PredictionClient}; not thread-safe. */
    public static final class Builder {
        private final URI base;
        private final String grpcHost;
        private final int grpcPort;
        private final String model;
        private String version;
        private boolean rawContents;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration timeout = Duration.ofSeconds(30);
        private int retries = 2;
        private Duration backoff = Duration.ofMillis(100);

        private Builder(String baseUrl, String model) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw FlywheelException.invalid("'" + baseUrl + "' is not an http(s) URL");
            }
            if (model == null || model.isBlank()) {
                throw FlywheelException.invalid("a model name is needed, such as 'demand'");
            }
            this.base = uri;
            this.grpcHost = null;
            this.grpcPort = -1;
            this.model = model;
        }

        private Builder(String grpcHost, int grpcPort, String model) {
            if (model == null || model.isBlank()) {
                throw FlywheelException.invalid("a model name is needed, such as 'demand'");
            }
            this.base = null;
            this.grpcHost = grpcHost;
            this.grpcPort = grpcPort;
            this.model = model;
        }

        /**
         * Over gRPC, send inputs as {@code raw_input_contents} (little-endian bytes, as Triton's clients do) instead of
         * typed contents; the server then answers raw too. Default false. Not used over REST.
         */
        public Builder rawContents(boolean raw) {
            this.rawContents = raw;
            return this;
        }

        /** Ask for this version (a server serves one; a different one is NOT_FOUND). Default: whatever it serves. */
        public Builder version(String v) {
            this.version = v;
            return this;
        }

        /** How long connecting may take (default 2 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** How long a whole request may take, answer included (default 30 s). */
        public Builder timeout(Duration d) {
            this.timeout = positive(d, "timeout");
            return this;
        }

        /** How many times to try again when the connection cannot be made (default 2; 0 = never). */
        public Builder retries(int n) {
            if (n < 0) {
                throw FlywheelException.invalid("retries must be >= 0, got " + n);
            }
            this.retries = n;
            return this;
        }

        /** The wait before the first retry, doubled for each next one (default 100 ms). */
        public Builder retryBackoff(Duration d) {
            this.backoff = positive(d, "retryBackoff");
            return this;
        }

        public PredictionClient build() {
            if (grpcHost == null) {
                return new PredictionClient(this, null);
            }
            requireGrpcOnClassPath();
            return new PredictionClient(this, new GrpcTransport(new GrpcTransport.Settings(grpcHost, grpcPort, connectTimeout,
                    timeout, retries, backoff, rawContents)));
        }

        private static void requireGrpcOnClassPath() {
            for (String name : List.of("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder", "io.grpc.stub.AbstractBlockingStub",
                    "io.grpc.protobuf.ProtoUtils", "com.google.protobuf.ByteString")) {
                try {
                    Class.forName(name, false, PredictionClient.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw FlywheelException.invalid("the gRPC transport needs " + name + " on the class path: add io.grpc:grpc-netty-shaded, "
                            + "io.grpc:grpc-protobuf and io.grpc:grpc-stub (optional dependencies of flywheel-client) to your build, "
                            + "or use the REST transport (PredictionClient.forUrl)");
                }
            }
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw FlywheelException.invalid(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
