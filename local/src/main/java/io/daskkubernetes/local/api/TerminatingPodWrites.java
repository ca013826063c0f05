package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;

/**
 * Writes to a pod that is terminating. The mock removes any object that has a deletionTimestamp and
 * no finalizers on the next write, but a terminating pod must stay until its kubelet has stopped it
 * (the kubelet still reports container states meanwhile), so these writes bypass the mock's
 * handlers.
 */
final class TerminatingPodWrites {

    private static final List<String> KEPT_METADATA =
            List.of(
                    "uid",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "deletionGracePeriodSeconds",
                    "name",
                    "namespace");

    private final ObjectStore store;

    TerminatingPodWrites(ObjectStore store) {
        this.store = store;
    }

    static boolean isTerminating(JsonNode pod) {
        JsonNode timestamp = pod.path("metadata").path("deletionTimestamp");
        return !timestamp.isMissingNode() && !timestamp.isNull();
    }

    /**
     * @param result the object the write asked for (the patched or replacing document)
     */
    MockResponse store(ApiPath path, JsonNode stored, JsonNode result) {
        ObjectNode written = stored.deepCopy();
        boolean statusWrite = "status".equals(path.subresource());
        if (statusWrite) {
            // The status subresource changes the status only.
            if (result.has("status")) {
                written.set("status", result.get("status"));
            }
        } else {
            // The main resource changes everything but the status and the identity of the object.
            written = ((ObjectNode) result).deepCopy();
            written.set("status", stored.get("status"));
            ObjectNode metadata = (ObjectNode) written.with("metadata");
            for (String field : KEPT_METADATA) {
                if (stored.path("metadata").has(field)) {
                    metadata.set(field, stored.path("metadata").get(field));
                }
            }
        }
        return store.replaceInPlace(path.objectPath(), written)
                .map(json -> ApiResponses.json(200, json))
                .orElseGet(() -> ApiResponses.notFound("pods", path.name()));
    }

    static JsonNode applyJsonPatch(JsonNode stored, String patch) {
        return JsonPatch.apply(Serialization.unmarshal(patch, JsonNode.class), stored);
    }
}
