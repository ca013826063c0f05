package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Optional;

/**
 * One write to the store as watches see it: the object's store attributes (namespace, name, labels,
 * type) before and after, and the object it leaves behind (for a deletion, the last state with the
 * deletion's resourceVersion, as the API server sends it).
 *
 * @param before null when the write created the object
 * @param after null when the write removed the object
 * @param previousJson the object before the write, null when the write created it
 */
record ResourceChange(
        long resourceVersion,
        ResourceType type,
        AttributeSet before,
        AttributeSet after,
        String objectJson,
        String previousJson) {

    /**
     * What a watch with this selector sees, as the mock and the API server tell it: MODIFIED while
     * the object stays selected, ADDED when it comes into the selection, DELETED when it leaves it
     * (deleted or relabelled).
     */
    Optional<String> eventTypeFor(WatchRequest request) {
        AttributeSet selector = request.selector();
        boolean selectedBefore =
                before != null
                        && before.matches(selector)
                        && request.selects(previousJson != null ? previousJson : objectJson);
        boolean selectedAfter =
                after != null && after.matches(selector) && request.selects(objectJson);
        if (selectedBefore && selectedAfter) {
            return Optional.of("MODIFIED");
        }
        if (selectedBefore) {
            return Optional.of("DELETED");
        }
        return selectedAfter ? Optional.of("ADDED") : Optional.empty();
    }
}
