package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterTls;
import io.daskkubernetes.model.TlsCredentials;
import io.daskkubernetes.scheduler.DaskTls;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a process reaches the scheduler of a cluster it did not start (a later {@code scale}): with
 * TLS, the address is {@code tls://} and the client certificate comes from the cluster's Secret;
 * without, as before.
 */
final class TlsSchedulerAccess {

    private TlsSchedulerAccess() {}

    /** A client of the cluster's scheduler, reached at {@code endpoint}. */
    static SchedulerClient connect(
            KubernetesClient client,
            ClusterModel model,
            SchedulerEndpoint endpoint,
            Duration wait) {
        URI dashboard = URI.create(endpoint.dashboardBase());
        if (!model.tls()) {
            return SchedulerClients.connect(endpoint.tcpAddress(), dashboard, wait);
        }
        TlsCredentials credentials =
                readCredentials(client, model)
                        .orElseThrow(
                                () ->
                                        new ClusterException(
                                                "cluster "
                                                        + model.name()
                                                        + " uses TLS but its Secret "
                                                        + ClusterTls.secretName(model.name())
                                                        + " is gone; recreate the cluster"));
        return SchedulerClients.connect(
                ClusterTls.tlsAddress(endpoint.tcpAddress()),
                dashboard,
                wait,
                DaskTls.client(credentials));
    }

    /** The credentials in the cluster's Secret, or empty when there is none. */
    static Optional<TlsCredentials> readCredentials(KubernetesClient client, ClusterModel model) {
        String name = ClusterTls.secretName(model.name());
        Secret secret = client.secrets().inNamespace(model.namespace()).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach(
                            (file, base64) ->
                                    files.put(
                                            file,
                                            new String(
                                                    Base64.getDecoder().decode(base64),
                                                    StandardCharsets.UTF_8)));
        }
        return Optional.of(
                TlsCredentials.fromFiles(files, "Secret " + model.namespace() + "/" + name));
    }
}
