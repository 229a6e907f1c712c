package dev.flywheel.kubernetes.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Supplier;

/**
 * Kubernetes API failures as Flywheel errors that keep the API server's own message: 403 (RBAC), 404 of a kind
 * (the CRD is not installed), 409 (conflict), 422 (the manifest is invalid), unreachable servers.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw translate(what, e);
        }
    }

    public static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    public static FlywheelException translate(String what, KubernetesClientException e) {
        Status s = e.getStatus();
        String apiMessage = s != null && s.getMessage() != null ? s.getMessage() : e.getMessage();
        int code = e.getCode();
        return switch (code) {
            case 401 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API did not accept the credentials "
                    + "(401): " + apiMessage + "; check the kubeconfig context or the deployer's token setting", e);
            case 403 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API forbids it (403): " + apiMessage
                    + "; grant the account a Role on that resource in the namespace (see docs/production.md)", e);
            case 404 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API has no such resource (404): "
                    + apiMessage + "; is the operator (KServe, Seldon Core 2) installed and is the namespace right?", e);
            case 409 -> new FlywheelException(ErrorCode.CONFLICT, "Cannot " + what + ": conflict in the Kubernetes API (409): " + apiMessage
                    + "; someone else changed the object, try again", e);
            case 422 -> new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Cannot " + what + ": the Kubernetes API rejected the manifest as "
                    + "invalid (422): " + apiMessage + "; check the deployer's settings (flywheel model-deployer describe)", e);
            default -> code == 0 || code >= 500
                    ? new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot " + what + ": the Kubernetes API is unavailable"
                    + (code == 0 ? "" : " (" + code + ")") + ": " + apiMessage + "; check the cluster and the deployer's masterUrl", e)
                    : new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API answered " + code + ": " + apiMessage, e);
        };
    }
}
