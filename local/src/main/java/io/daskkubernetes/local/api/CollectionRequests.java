package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Lists and collection deletes, selected by our own {@link LabelSelector} and {@link FieldSelector}
 * (the mock's selectors ignore set-based requirements and so select everything): lists are typed
 * ({@code PodList}, not {@code List}), in kube-apiserver's order (namespace, then name), and honour
 * {@code limit} and {@code continue}; a collection delete deletes exactly the selected objects, one
 * by one, through the same path as a single delete.
 */
final class CollectionRequests {

    private final ObjectStore store;

    CollectionRequests(ObjectStore store) {
        this.store = store;
    }

    /** What a list sees: the selected objects in order and the store's resourceVersion. */
    record Selection(List<JsonNode> items, String resourceVersion) {}

    /** The objects of the collection the path names that its selectors select, in order. */
    Selection selected(ApiPath path, RequestOptions options) {
        MockResponse all =
                store.handle(
                        ObjectStore.request(HttpMethod.GET, path.collectionPath(), null, null));
        List<JsonNode> items = new ArrayList<>();
        if (all.code() != 200 || all.getBody() == null) {
            throw new IllegalStateException(
                    "the store did not list " + path.collectionPath() + ": " + all.code());
        }
        JsonNode list = Serialization.unmarshal(all.getBody().readUtf8(), JsonNode.class);
        String resourceVersion = list.path("metadata").path("resourceVersion").asText("");
        for (JsonNode item : list.path("items")) {
            if (selects(options, item)) {
                items.add(item);
            }
        }
        items.sort(
                Comparator.comparing((JsonNode item) -> namespace(item))
                        .thenComparing(CollectionRequests::name));
        return new Selection(items, resourceVersion);
    }

    static boolean selects(RequestOptions options, JsonNode object) {
        return options.labelSelector().matches(labels(object))
                && options.fieldSelector().matches(object);
    }

    /** GET of a collection: a typed list, one page of it when {@code limit} is given. */
    MockResponse list(ApiPath path, RequestOptions options, Discovery.Resource resource) {
        return store.atomically(
                () -> {
                    Selection selection = selected(path, options);
                    List<JsonNode> items = selection.items();
                    String resourceVersion = selection.resourceVersion();
                    int start = 0;
                    if (options.continueToken() != null) {
                        String after = continueFrom(options.continueToken());
                        while (start < items.size()
                                && key(items.get(start)).compareTo(after) <= 0) {
                            start++;
                        }
                    }
                    int end = items.size();
                    if (options.limit() != null) {
                        end = (int) Math.min(items.size(), start + options.limit());
                    }
                    ObjectNode list = Serialization.jsonMapper().createObjectNode();
                    list.put("apiVersion", path.apiVersion());
                    list.put("kind", resource.kind() + "List");
                    ObjectNode metadata = list.putObject("metadata");
                    metadata.put("resourceVersion", resourceVersion);
                    if (end < items.size()) {
                        metadata.put("continue", continueToken(key(items.get(end - 1))));
                        metadata.put("remainingItemCount", items.size() - end);
                    }
                    ArrayNode array = list.putArray("items");
                    items.subList(start, end).forEach(array::add);
                    return ApiResponses.json(200, Serialization.asJson(list));
                });
    }

    /**
     * DELETE of a collection: each selected object deleted by {@code deleteOne} (its object path);
     * answers the list of what was deleted, as kube-apiserver does.
     */
    MockResponse delete(
            ApiPath path,
            RequestOptions options,
            Discovery.Resource resource,
            Function<String, MockResponse> deleteOne) {
        return store.atomically(
                () -> {
                    List<JsonNode> deleted = new ArrayList<>();
                    Selection selection = selected(path, options);
                    for (JsonNode item : selection.items()) {
                        String objectPath =
                                ApiPath.objectPath(
                                        path.apiVersion(),
                                        path.resource(),
                                        item.path("metadata").path("namespace").asText(null),
                                        name(item));
                        MockResponse response = deleteOne.apply(objectPath);
                        if (ApiResponses.isSuccess(response)) {
                            deleted.add(item);
                        }
                    }
                    ObjectNode list = Serialization.jsonMapper().createObjectNode();
                    list.put("apiVersion", path.apiVersion());
                    list.put("kind", resource.kind() + "List");
                    list.putObject("metadata").put("resourceVersion", selection.resourceVersion());
                    ArrayNode array = list.putArray("items");
                    deleted.forEach(array::add);
                    return ApiResponses.json(200, Serialization.asJson(list));
                });
    }

    private static java.util.Map<String, String> labels(JsonNode object) {
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        object.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static String namespace(JsonNode item) {
        return item.path("metadata").path("namespace").asText("");
    }

    private static String name(JsonNode item) {
        return item.path("metadata").path("name").asText("");
    }

    private static String key(JsonNode item) {
        return namespace(item) + "/" + name(item);
    }

    private static String continueToken(String lastKey) {
        String json = Serialization.asJson(java.util.Map.of("v", "dask.local/1", "start", lastKey));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String continueFrom(String token) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            JsonNode decoded = Serialization.jsonMapper().readTree(json);
            if (!"dask.local/1".equals(decoded.path("v").asText())
                    || !decoded.path("start").isTextual()) {
                throw new IllegalArgumentException("not a continue token of this server");
            }
            return decoded.get("start").asText();
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.badRequest(
                    "continue key is not valid: use the continue value of the previous page ("
                            + e.getMessage()
                            + ")");
        }
    }
}
