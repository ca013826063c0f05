package io.daskkubernetes.operator;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.DaskLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream operator's labels and which of a parent's labels and annotations pass to the objects it
 * makes: all labels; annotations except bookkeeping that is not the user's: kopf's, kubectl's, and
 * ours about the parent itself (a client's lease, renewed on the cluster only, and the workers an
 * autoscaler chose to retire), which on a child would be stale copies.
 */
final class OperatorLabels {

    static final String WORKER_GROUP_NAME = "dask.org/workergroup-name";
    static final String COMPONENT_WORKER_GROUP = "workergroup";

    private OperatorLabels() {}

    static Map<String, String> propagatedAnnotations(Map<String, String> annotations) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (annotations != null) {
            annotations.forEach(
                    (key, value) -> {
                        if (!key.startsWith("kopf.zalando.org")
                                && !key.startsWith("kubectl.kubernetes.io")
                                && !ClusterLease.ANNOTATIONS.contains(key)
                                && !key.equals(RetireFirst.ANNOTATION)) {
                            kept.put(key, value);
                        }
                    });
        }
        return kept;
    }

    /** Labels of the parent, then of the template, then ours (ours win). */
    static Map<String, String> merged(
            Map<String, String> parent, Map<String, String> template, Map<String, String> ours) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (parent != null) {
            labels.putAll(parent);
        }
        if (template != null) {
            labels.putAll(template);
        }
        labels.putAll(ours);
        return labels;
    }

    static Map<String, String> scheduler(String cluster) {
        return Map.of(
                DaskLabels.CLUSTER_NAME,
                cluster,
                DaskLabels.COMPONENT,
                DaskLabels.COMPONENT_SCHEDULER);
    }

    static Map<String, String> workers(String cluster, String group) {
        return Map.of(
                DaskLabels.CLUSTER_NAME,
                cluster,
                DaskLabels.COMPONENT,
                DaskLabels.COMPONENT_WORKER,
                WORKER_GROUP_NAME,
                group);
    }

    /** The label selector of a group's worker pods, as written in status.selector. */
    static String workerSelector(String cluster, String group) {
        return DaskLabels.CLUSTER_NAME
                + "="
                + cluster
                + ","
                + DaskLabels.COMPONENT
                + "="
                + DaskLabels.COMPONENT_WORKER
                + ","
                + WORKER_GROUP_NAME
                + "="
                + group;
    }
}
