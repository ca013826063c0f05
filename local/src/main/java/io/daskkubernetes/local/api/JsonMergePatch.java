package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON merge patch (RFC 7386): objects merge key by key, {@code null} removes a key, anything else
 * (arrays included) replaces. The mock gets two of these wrong (it appends arrays and stores
 * nulls), and neither Jackson nor zjsonpatch has the RFC, so here are its dozen lines.
 */
public final class JsonMergePatch {

    private JsonMergePatch() {}

    /** The patched document; {@code target} is not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject()
                        ? ((ObjectNode) target).deepCopy()
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        List<String> names = new ArrayList<>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = patch.get(name);
            if (value.isNull()) {
                result.remove(name);
            } else {
                result.set(name, apply(result.get(name), value));
            }
        }
        return result;
    }
}
