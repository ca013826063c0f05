package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.crud.AttributeExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.OptionalLong;

/**
 * What a watch asks for: the objects it selects (type, namespace, name, label and field selectors,
 * as the store's attributes) and where it starts. A resourceVersion above 0 means "every change
 * after it"; none, "" or "0" mean "from now": the objects as they are, as ADDED, then the changes
 * that follow.
 */
record WatchRequest(ResourceType type, AttributeSet selector, OptionalLong resumeAfter) {

    static WatchRequest parse(String requestPath, AttributeExtractor attributes) {
        AttributeSet selector = attributes.fromPath(requestPath);
        String resourceVersion = ApiPath.parse(requestPath).query().get("resourceVersion");
        return new WatchRequest(ResourceType.of(selector), selector, resumeAfter(resourceVersion));
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
