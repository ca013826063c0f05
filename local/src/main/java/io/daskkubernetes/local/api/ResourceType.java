package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;

/**
 * A kind of object as the store files it: API group ("" for the core group) and plural resource
 * name. Watch history is kept per type, as in the API server's watch cache, so that a burst of
 * writes to one type does not push the history of another out.
 */
record ResourceType(String group, String plural) {

    /**
     * From the store's attributes of an object, or of a request path (the mock's "api" and
     * "plural").
     */
    static ResourceType of(AttributeSet attributes) {
        return new ResourceType(first(attributes, "api"), first(attributes, "plural"));
    }

    private static String first(AttributeSet attributes, String key) {
        Attribute attribute = attributes.getAttribute(key);
        if (attribute == null || attribute.getValues().isEmpty()) {
            return "";
        }
        return String.valueOf(attribute.getValues().get(0));
    }
}
