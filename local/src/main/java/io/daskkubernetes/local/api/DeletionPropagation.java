package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code propagationPolicy} of a DELETE, as Kubernetes does it with the garbage collector's
 * finalizers:
 *
 * <ul>
 *   <li>Background (the default): the object goes now; the garbage collector then deletes the
 *       dependents whose owners are all gone.
 *   <li>Orphan: the dependents lose their owner reference to the object first (what the {@code
 *       orphan} finalizer does), so that nothing deletes them.
 *   <li>Foreground: the object stays, with a {@code deletionTimestamp} and the {@code
 *       foregroundDeletion} finalizer, while its dependents are deleted; it goes when the last of
 *       them is gone.
 * </ul>
 */
final class DeletionPropagation {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionPropagation.class);
    static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    private final ObjectStore store;

    /** Owners waiting in foreground deletion: object path to uid. */
    private final Map<String, String> waitingForDependents = new LinkedHashMap<>();

    DeletionPropagation(ObjectStore store) {
        this.store = store;
    }

    /** The paths of the objects that name {@code uid} among their owners. */
    List<ObjectStore.StoredObject> dependentsOf(String uid) {
        List<ObjectStore.StoredObject> dependents = new ArrayList<>();
        for (ObjectStore.StoredObject stored : store.all()) {
            var owners = stored.object().getMetadata().getOwnerReferences();
            if (owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()))) {
                dependents.add(stored);
            }
        }
        return dependents;
    }

    /** Removes the owner reference to {@code uid} from every dependent. Under the store's lock. */
    void orphanDependentsOf(String uid) {
        for (ObjectStore.StoredObject dependent : dependentsOf(uid)) {
            store.getJson(dependent.path())
                    .ifPresent(
                            json -> {
                                ObjectNode object =
                                        (ObjectNode) Serialization.unmarshal(json, JsonNode.class);
                                ArrayNode kept = Serialization.jsonMapper().createArrayNode();
                                object.path("metadata")
                                        .path("ownerReferences")
                                        .forEach(
                                                owner -> {
                                                    if (!uid.equals(owner.path("uid").asText())) {
                                                        kept.add(owner);
                                                    }
                                                });
                                ObjectNode metadata = (ObjectNode) object.get("metadata");
                                if (kept.isEmpty()) {
                                    metadata.remove("ownerReferences");
                                } else {
                                    metadata.set("ownerReferences", kept);
                                }
                                store.replaceInPlace(dependent.path(), object);
                            });
        }
    }

    /**
     * Starts a foreground deletion: marks the object with the finalizer, deletes it (so that it
     * gets its deletionTimestamp and stays), then deletes its dependents with {@code delete}.
     */
    MockResponse foreground(
            String objectPath, JsonNode stored, Function<String, MockResponse> delete) {
        String uid = stored.path("metadata").path("uid").asText();
        ObjectNode marked = (ObjectNode) stored.deepCopy();
        ArrayNode finalizers = marked.with("metadata").withArray("finalizers");
        boolean present = false;
        for (JsonNode finalizer : finalizers) {
            present |= FOREGROUND_FINALIZER.equals(finalizer.asText());
        }
        if (!present) {
            finalizers.add(FOREGROUND_FINALIZER);
        }
        store.replaceInPlace(objectPath, marked);
        MockResponse deleted = store.delete(objectPath);
        if (!ApiResponses.isSuccess(deleted)) {
            return deleted;
        }
        if (!store.inDryRun()) {
            waitingForDependents.put(objectPath, uid);
        }
        for (ObjectStore.StoredObject dependent : dependentsOf(uid)) {
            if (dependent.object().getMetadata().getDeletionTimestamp() == null) {
                delete.apply(dependent.path());
            }
        }
        finishForegroundDeletions();
        return store.getJson(objectPath)
                .map(json -> ApiResponses.json(200, json))
                .orElseGet(() -> ApiResponses.json(200, stored));
    }

    /**
     * Removes the {@code foregroundDeletion} finalizer of the owners whose dependents are all gone,
     * which lets them go. Called after every deletion.
     */
    void finishForegroundDeletions() {
        if (store.inDryRun()) {
            return;
        }
        store.atomically(
                () -> {
                    if (waitingForDependents.isEmpty()) {
                        return null;
                    }
                    for (Map.Entry<String, String> owner :
                            List.copyOf(waitingForDependents.entrySet())) {
                        if (!dependentsOf(owner.getValue()).isEmpty()) {
                            continue;
                        }
                        waitingForDependents.remove(owner.getKey());
                        store.getJson(owner.getKey())
                                .ifPresent(json -> removeFinalizer(owner.getKey(), json));
                    }
                    return null;
                });
    }

    private void removeFinalizer(String objectPath, String json) {
        JsonNode object = Serialization.unmarshal(json, JsonNode.class);
        List<String> remaining = new ArrayList<>();
        object.path("metadata")
                .path("finalizers")
                .forEach(
                        f -> {
                            if (!FOREGROUND_FINALIZER.equals(f.asText())) {
                                remaining.add(f.asText());
                            }
                        });
        // A JSON patch: the mock's merge patch appends to lists instead of replacing them.
        List<Map<String, Object>> patch =
                List.of(
                        Map.of(
                                "op",
                                "replace",
                                "path",
                                "/metadata/finalizers",
                                "value",
                                remaining));
        MockResponse response =
                store.handle(
                        ObjectStore.request(
                                io.fabric8.mockwebserver.dsl.HttpMethod.PATCH,
                                objectPath,
                                "application/json-patch+json",
                                Serialization.asJson(patch)));
        if (!ApiResponses.isSuccess(response)) {
            LOG.warn(
                    "could not finish the foreground deletion of {}: {}",
                    objectPath,
                    response.code());
        }
    }
}
