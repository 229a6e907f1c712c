package dev.flywheel.serving.internal;

/** The server's endpoints as metrics tags: protocol plus endpoint name. */
public enum Endpoint {
    V2_SERVER("v2", "server"),
    V2_HEALTH("v2", "health"),
    V2_MODEL_METADATA("v2", "model_metadata"),
    V2_MODEL_READY("v2", "model_ready"),
    V2_INFER("v2", "infer"),
    MLFLOW_HEALTH("mlflow", "health"),
    MLFLOW_VERSION("mlflow", "version"),
    MLFLOW_INVOCATIONS("mlflow", "invocations"),
    ADMIN_STATUS("admin", "status"),
    ADMIN_SWAP("admin", "swap"),
    METRICS("prometheus", "metrics"),
    GRPC_HEALTH("grpc", "health"),
    GRPC_SERVER("grpc", "server_metadata"),
    GRPC_MODEL_METADATA("grpc", "model_metadata"),
    GRPC_MODEL_READY("grpc", "model_ready"),
    GRPC_INFER("grpc", "infer");

    final String protocol;
    final String tagName;

    Endpoint(String protocol, String tagName) {
        this.protocol = protocol;
        this.tagName = tagName;
    }
}
