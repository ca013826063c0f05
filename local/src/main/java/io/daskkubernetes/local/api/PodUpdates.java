package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What kube-apiserver allows of a write to an existing pod: the main resource never changes the
 * status (a PUT without status does not reset it) and, of the spec, only the container images,
 * {@code activeDeadlineSeconds}, {@code tolerations}, {@code terminationGracePeriodSeconds} and
 * {@code schedulingGates}; the status subresource changes the status only. Anything else is 422
 * naming the field, so that a patch cannot, for example, remove the containers of a running pod.
 */
final class PodUpdates {

    /** Spec fields that may change; {@code nodeName} only from unset (our scheduler binds so). */
    private static final List<String> MUTABLE_SPEC =
            List.of(
                    "activeDeadlineSeconds",
                    "tolerations",
                    "terminationGracePeriodSeconds",
                    "schedulingGates");

    /** Fields the API server defaults at create, which a client's update may leave out. */
    private static final List<String> DEFAULTED_SPEC =
            List.of(
                    "restartPolicy",
                    "terminationGracePeriodSeconds",
                    "schedulerName",
                    "dnsPolicy",
                    "nodeName");

    private PodUpdates() {}

    /**
     * @param stored the pod as stored
     * @param written the pod the write asks for (the replacement, or the patched document)
     * @param statusWrite whether the write went to the status subresource
     * @return the pod to store
     */
    static ObjectNode apply(JsonNode stored, JsonNode written, boolean statusWrite) {
        if (!(written instanceof ObjectNode result)) {
            throw ApiException.badRequest("a pod must be a JSON object");
        }
        if (statusWrite) {
            ObjectNode kept = (ObjectNode) stored.deepCopy();
            if (result.has("status")) {
                kept.set("status", result.get("status"));
            }
            return kept;
        }
        ObjectNode updated = result.deepCopy();
        if (stored.has("status")) {
            updated.set("status", stored.get("status"));
        } else {
            updated.remove("status");
        }
        String name = stored.path("metadata").path("name").asText();
        if (!(updated.get("spec") instanceof ObjectNode spec)) {
            throw invalid(name, "spec: Required value: a pod's spec cannot be removed");
        }
        JsonNode storedSpec = stored.path("spec");
        for (String field : DEFAULTED_SPEC) {
            if ((!spec.has(field) || spec.get(field).isNull()) && storedSpec.has(field)) {
                spec.set(field, storedSpec.get(field));
            }
        }
        checkImmutable(name, storedSpec, spec);
        return updated;
    }

    private static void checkImmutable(String name, JsonNode storedSpec, ObjectNode spec) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            throw invalid(
                    name, "spec.containers: Required value: a pod needs at least one container");
        }
        ObjectNode comparable = spec.deepCopy();
        ObjectNode before = (ObjectNode) storedSpec.deepCopy();
        for (String field : MUTABLE_SPEC) {
            comparable.remove(field);
            before.remove(field);
        }
        if (before.path("nodeName").asText("").isEmpty()) {
            comparable.remove("nodeName");
            before.remove("nodeName");
        }
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            sameImages(comparable.path(list), before.path(list));
        }
        normalise(comparable);
        normalise(before);
        if (!comparable.equals(before)) {
            List<String> changed = new ArrayList<>();
            comparable
                    .fieldNames()
                    .forEachRemaining(
                            f -> {
                                if (!comparable.get(f).equals(before.get(f))) {
                                    changed.add("spec." + f);
                                }
                            });
            before.fieldNames()
                    .forEachRemaining(
                            f -> {
                                if (!comparable.has(f) && !changed.contains("spec." + f)) {
                                    changed.add("spec." + f);
                                }
                            });
            throw invalid(
                    name,
                    "spec: Forbidden: pod updates may not change fields other than"
                            + " `spec.containers[*].image`,`spec.initContainers[*].image`,"
                            + "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to"
                            + " existing tolerations),`spec.terminationGracePeriodSeconds` (changed: "
                            + String.join(", ", changed)
                            + ")");
        }
    }

    /** Lets the images differ: the new list gets the old images where the names match. */
    private static void sameImages(JsonNode updated, JsonNode stored) {
        if (!(updated instanceof ArrayNode containers) || !stored.isArray()) {
            return;
        }
        for (int i = 0; i < containers.size() && i < stored.size(); i++) {
            if (containers.get(i) instanceof ObjectNode container
                    && container.path("name").equals(stored.get(i).path("name"))
                    && stored.get(i).has("image")) {
                container.set("image", stored.get(i).get("image"));
            }
        }
    }

    /**
     * Drops nulls, empty lists and empty objects, which clients and the store write differently.
     */
    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<java.util.Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                JsonNode value = fields.next().getValue();
                normalise(value);
                if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
                    fields.remove();
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(PodUpdates::normalise);
        }
    }

    private static AdmissionException invalid(String name, String message) {
        return new AdmissionException("Pod \"" + name + "\" is invalid: " + message);
    }
}
