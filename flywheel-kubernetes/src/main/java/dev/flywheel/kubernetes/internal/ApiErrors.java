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

    /**
     * The component whose settings made the calls, so a hint names the settings to check and the command that shows
     * them.
     *
     * @param component     as the hint names it: {@code model deployer}
     * @param describe      the command showing its settings
     * @param unknownKind   what a 404 of the whole kind suggests
     */
    public record Owner(String component, String describe, String unknownKind) {
        public static final Owner MODEL_DEPLOYER = new Owner("model deployer", "flywheel model-deployer describe",
                "is the operator (KServe, Seldon Core 2) installed and is the namespace right?");
        public static final Owner ORCHESTRATOR = new Owner("orchestrator", "flywheel orchestrator describe",
                "is the orchestrator's namespace right?");
        public static final Owner STEP_OPERATOR = new Owner("step operator", "flywheel step-operator describe",
                "is the step operator's namespace right?");
    }

    public static <T> T call(Owner owner, String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw translate(owner, what, e);
        }
    }

    public static FlywheelException translate(Owner owner, String what, KubernetesClientException e) {
        Status s = e.getStatus();
        String apiMessage = s != null && s.getMessage() != null ? s.getMessage() : e.getMessage();
        int code = e.getCode();
        return switch (code) {
            case 401 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API did not accept the credentials "
                    + "(401): " + apiMessage + "; check the kubeconfig context or the " + owner.component() + "'s token setting", e);
            case 403 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API forbids it (403): " + apiMessage
                    + "; grant the account a Role on that resource in the namespace (see docs/production.md)", e);
            case 404 -> new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API has no such resource (404): "
                    + apiMessage + "; " + owner.unknownKind(), e);
            case 409 -> new FlywheelException(ErrorCode.CONFLICT, "Cannot " + what + ": conflict in the Kubernetes API (409): " + apiMessage
                    + "; someone else changed the object, try again", e);
            case 422 -> new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Cannot " + what + ": the Kubernetes API rejected the manifest as "
                    + "invalid (422): " + apiMessage + "; check the " + owner.component() + "'s settings (" + owner.describe() + ")", e);
            default -> code == 0 || code >= 500
                    ? new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot " + what + ": the Kubernetes API is unavailable"
                    + (code == 0 ? "" : " (" + code + ")") + ": " + apiMessage + "; check the cluster and the " + owner.component() + "'s masterUrl", e)
                    : new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot " + what + ": the Kubernetes API answered " + code + ": " + apiMessage, e);
        };
    }
}
