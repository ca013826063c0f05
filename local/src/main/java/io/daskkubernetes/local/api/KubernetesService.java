package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;

/**
 * The {@code default/kubernetes} Service through which pods reach the API server, as on every
 * cluster: the first cluster IP of the range, port 443 (the API server's own port on the host
 * network, where no relay sits between), no selector, and an Endpoints object of the same name at
 * the node's address, which the runtime writes.
 *
 * @param clusterIp the Service's address
 * @param port the Service's port, what pods see as {@code KUBERNETES_SERVICE_PORT}
 * @param nodeIp where the API server listens for pods
 * @param apiServerPort the API server's port there
 */
public record KubernetesService(String clusterIp, int port, String nodeIp, int apiServerPort) {

    public static final String NAME = "kubernetes";
    public static final String NAMESPACE = "default";

    /** The names pods may use for the API server; all are in its certificate. */
    public static final List<String> DNS_NAMES =
            List.of(
                    "localhost",
                    "kubernetes",
                    "kubernetes.default",
                    "kubernetes.default.svc",
                    "kubernetes.default.svc.cluster.local");

    private static final Map<String, String> LABELS =
            Map.of("component", "apiserver", "provider", "kubernetes");

    /** The URL a pod uses: {@code https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}. */
    public String url() {
        return "https://" + clusterIp + ":" + port;
    }

    public Service service() {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .withLabels(LABELS)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(clusterIp)
                .withClusterIPs(clusterIp)
                .withSessionAffinity("None")
                .addNewPort()
                .withName("https")
                .withProtocol("TCP")
                .withPort(port)
                .withTargetPort(new IntOrString(apiServerPort))
                .endPort()
                .endSpec()
                .build();
    }

    public Endpoints endpoints() {
        return new EndpointsBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of("endpointslice.kubernetes.io/skip-mirror", "true"))
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp(nodeIp)
                .endAddress()
                .addNewPort()
                .withName("https")
                .withPort(apiServerPort)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build();
    }
}
