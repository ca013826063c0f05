package io.daskkubernetes.operator;

import io.daskkubernetes.model.KubernetesNames;
import java.util.Optional;

/**
 * The names the operator gives, and the rule a DaskCluster's name must follow for them to be valid:
 * at most 53 characters (so that {@code <name>-scheduler} and worker names fit in 63) and a DNS
 * label.
 */
final class ClusterNames {

    static final int MAX_CLUSTER_NAME = 53;

    private ClusterNames() {}

    static String scheduler(String cluster) {
        return cluster + "-scheduler";
    }

    static String service(String cluster) {
        return cluster + "-scheduler";
    }

    static String defaultWorkerGroup(String cluster) {
        return cluster + "-default";
    }

    /** {@code tcp://<cluster>-scheduler.<namespace>.svc.cluster.local:8786}, as upstream. */
    static String schedulerAddress(String cluster, String namespace) {
        return "tcp://" + service(cluster) + "." + namespace + ".svc.cluster.local:8786";
    }

    /** Why the name cannot be a DaskCluster's, or empty when it can. */
    static Optional<String> problem(String cluster) {
        if (cluster.length() > MAX_CLUSTER_NAME) {
            return Optional.of(
                    "metadata.name '"
                            + cluster
                            + "' has "
                            + cluster.length()
                            + " characters; a DaskCluster's name may have at most "
                            + MAX_CLUSTER_NAME
                            + " (its scheduler is named <name>-scheduler); choose a shorter name");
        }
        if (!KubernetesNames.isDnsLabel(cluster)) {
            return Optional.of(
                    "metadata.name '"
                            + cluster
                            + "' is not a DNS label (lower-case letters, digits and '-', starting"
                            + " and ending with a letter or digit); rename the DaskCluster");
        }
        return Optional.empty();
    }
}
