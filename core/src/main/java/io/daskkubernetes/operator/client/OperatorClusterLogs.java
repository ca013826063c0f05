package io.daskkubernetes.operator.client;

import io.daskkubernetes.model.DaskLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The logs of an operator-made cluster's pods: the scheduler's first, then each worker's. */
final class OperatorClusterLogs {

    private final KubernetesClient client;
    private final String namespace;
    private final String cluster;

    OperatorClusterLogs(KubernetesClient client, String namespace, String cluster) {
        this.client = client;
        this.namespace = namespace;
        this.cluster = cluster;
    }

    /** Logs by pod name; a log that cannot be read says why in its place. */
    Map<String, String> all() {
        Map<String, String> logs = new LinkedHashMap<>();
        client
                .pods()
                .inNamespace(namespace)
                .withLabel(DaskLabels.CLUSTER_NAME, cluster)
                .list()
                .getItems()
                .stream()
                .sorted(
                        Comparator.comparing(
                                        (Pod p) ->
                                                !DaskLabels.COMPONENT_SCHEDULER.equals(
                                                        p.getMetadata()
                                                                .getLabels()
                                                                .get(DaskLabels.COMPONENT)))
                                .thenComparing(p -> p.getMetadata().getName()))
                .forEach(pod -> logs.put(pod.getMetadata().getName(), log(pod)));
        return logs;
    }

    private String log(Pod pod) {
        try {
            String log =
                    client.pods()
                            .inNamespace(namespace)
                            .withName(pod.getMetadata().getName())
                            .getLog();
            return log == null ? "" : log;
        } catch (RuntimeException e) {
            return "(log unavailable: " + e.getMessage() + ")";
        }
    }
}
