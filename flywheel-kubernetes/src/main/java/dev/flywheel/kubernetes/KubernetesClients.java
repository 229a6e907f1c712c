package dev.flywheel.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Builds a client the way kubectl finds its cluster: the kubeconfig (a context), or the pod's service account; settings override. */
final class KubernetesClients {
    private KubernetesClients() {
    }

    static KubernetesClient connect(String masterUrl, String context, String token, String namespace) {
        Config base = Config.autoConfigure(context);
        ConfigBuilder b = new ConfigBuilder(base).withNamespace(namespace);
        if (masterUrl != null) {
            b.withMasterUrl(masterUrl);
        }
        if (token != null) {
            b.withOauthToken(token);
        }
        return new KubernetesClientBuilder().withConfig(b.build()).build();
    }
}
