package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/**
 * Lists answer with their typed kind ({@code EventList}, {@code EndpointSliceList}) and group
 * version, as kube-apiserver does; the CRUD mock says {@code List}, which client-go's typed clients
 * (kubectl events, describe) decode as an empty list.
 */
final class TypedLists {

    private TypedLists() {}

    static MockResponse typed(MockResponse answer, ApiPath path, Discovery discovery) {
        if (answer.code() != 200 || answer.getBody() == null) {
            return answer;
        }
        Optional<String> kind = discovery.kindOf(path.group(), path.version(), path.resource());
        if (kind.isEmpty()) {
            return answer;
        }
        JsonNode list = Serialization.unmarshal(answer.getBody().readUtf8(), JsonNode.class);
        if (list instanceof ObjectNode object && "List".equals(object.path("kind").asText())) {
            object.put("kind", kind.get() + "List");
            object.put("apiVersion", path.apiVersion());
        }
        return ApiResponses.json(200, Serialization.asJson(list));
    }
}
