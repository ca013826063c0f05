package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a watch asks for: the objects it selects (type, namespace, name, label and field selectors,
 * as the store's attributes) and where it starts. A resourceVersion above 0 means "every change
 * after it"; none, "" or "0" mean "from now": the objects as they are, as ADDED, then the changes
 * that follow.
 */
record WatchRequest(
        ResourceType type,
        AttributeSet selector,
        OptionalLong resumeAfter,
        LabelSelector labels,
        FieldSelector fields) {

    /**
     * @param options the request's checked selectors: ours, not the mock's, which ignores set-based
     *     requirements
     */
    static WatchRequest parse(
            String requestPath, AttributeExtractor attributes, RequestOptions options) {
        ApiPath path = ApiPath.parse(requestPath);
        // The store's attributes select the type, namespace and name; the selectors are ours.
        String where = path.name() == null ? path.collectionPath() : path.objectPath();
        AttributeSet selector = attributes.fromPath(where);
        String resourceVersion = path.query().get("resourceVersion");
        return new WatchRequest(
                ResourceType.of(selector),
                selector,
                resumeAfter(resourceVersion),
                options.labelSelector(),
                options.fieldSelector());
    }

    /** Whether the selectors select this object (its JSON). */
    boolean selects(String objectJson) {
        if (labels.isEverything() && fields.isEverything()) {
            return true;
        }
        JsonNode object = Serialization.unmarshal(objectJson, JsonNode.class);
        Map<String, String> objectLabels = new HashMap<>();
        object.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> objectLabels.put(e.getKey(), e.getValue().asText()));
        return labels.matches(objectLabels) && fields.matches(object);
    }

    private static OptionalLong resumeAfter(String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            return OptionalLong.empty();
        }
        long version;
        try {
            version = Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "resourceVersion: Invalid value: \""
                            + resourceVersion
                            + "\": must be a resourceVersion this server handed out");
        }
        return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
    }
}
