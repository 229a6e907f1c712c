package dev.flywheel.serving.api;

/**
 * The prediction server's HTTP surface that other parts of Flywheel call (the deployer, the client, health probes):
 * paths and headers, named once here instead of as strings on both sides of the process boundary.
 */
public final class ServingProtocol {
    /** Readiness: 200 once a model is loaded and warm. */
    public static final String READY_PATH = "/v2/health/ready";
    /** Liveness: 200 while the process serves HTTP. */
    public static final String LIVE_PATH = "/v2/health/live";
    /** Hot swap: POST a {@link ModelVersionSpec} ({@link SwapCodec}) with the admin token. */
    public static final String SWAP_PATH = "/admin/swap";
    /** The model version that answered a request (every model endpoint, and the swap's answer). */
    public static final String MODEL_VERSION_HEADER = "X-Model-Version";
    /**
     * A request's id: the client's when it sends one (1 to {@value #MAX_REQUEST_ID_LENGTH} printable ASCII characters),
     * else one the server makes; always in the response, and the key ground truth is joined to the prediction log by.
     */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final int MAX_REQUEST_ID_LENGTH = 128;
    /** Carries {@code Bearer <admin token>} on admin endpoints. */
    public static final String AUTHORIZATION_HEADER = "Authorization";
    public static final String BEARER_PREFIX = "Bearer ";

    private ServingProtocol() {
    }

    /** {@code /v2/models/<name>}: a model's metadata (and its version in {@link #MODEL_VERSION_HEADER}). */
    public static String modelPath(String modelName) {
        return "/v2/models/" + modelName;
    }

    /** {@code /v2/models/<name>/infer}: Open Inference Protocol predictions. */
    public static String inferPath(String modelName) {
        return modelPath(modelName) + "/infer";
    }

    /** The {@link #AUTHORIZATION_HEADER} value for {@code token}. */
    public static String bearer(String token) {
        return BEARER_PREFIX + token;
    }
}
