package io.daskkubernetes.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Sets a worker group's replicas, naming the workers to retire first when it shrinks ({@link
 * RetireFirst}), in one JSON merge patch, as {@code kubectl scale} would (no read-modify-write, so
 * no conflict with the group's status writes). The group's reconciler does the rest.
 */
final class WorkerGroupReplicas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerGroupReplicas() {}

    /**
     * @return the group as patched
     */
    static DaskWorkerGroup set(
            KubernetesClient client, DaskWorkerGroup group, int replicas, List<String> retire) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
        if (retire.isEmpty()) {
            annotations.putNull(RetireFirst.ANNOTATION);
        } else {
            annotations.put(RetireFirst.ANNOTATION, RetireFirst.value(retire));
        }
        patch.putObject("spec").putObject("worker").put("replicas", replicas);
        return client.resources(DaskWorkerGroup.class)
                .inNamespace(group.getMetadata().getNamespace())
                .withName(group.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }
}
