package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admission of custom resources against their CRD's {@code openAPIV3Schema}, as kube-apiserver does
 * on create, update and patch: unknown fields are pruned (unless the schema preserves them), then
 * types, required fields, bounds, enums, lengths and patterns are checked; a violation is answered
 * 422 Invalid with a Status naming each field ({@code spec.worker.replicas: Invalid value: -1:
 * spec.worker.replicas in body should be greater than or equal to 0}), and nothing is stored.
 */
final class CustomResourceValidation {

    private static final String CRD_PATH =
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final ObjectStore store;

    CustomResourceValidation(ObjectStore store) {
        this.store = store;
    }

    /** The CRD serving {@code path}'s resource, when it is a custom resource. */
    Optional<CustomResourceDefinition> definitionOf(ApiPath path) {
        if (path.group() == null || path.group().isEmpty() || !path.isResource()) {
            return Optional.empty();
        }
        return store.list(CRD_PATH, CustomResourceDefinition.class).stream()
                .filter(crd -> crd.getSpec().getGroup().equals(path.group()))
                .filter(crd -> crd.getSpec().getNames().getPlural().equals(path.resource()))
                .findFirst();
    }

    /**
     * A create (POST) or replace (PUT, the status subresource's too) of a custom resource, its body
     * pruned; other requests pass unchanged.
     *
     * @throws Rejected with the 422 answer when the object violates its schema
     */
    RecordedRequest admitWrite(RecordedRequest request, ApiPath path, String method) {
        boolean create = method.equals("POST") && path.name() == null;
        boolean replace =
                method.equals("PUT")
                        && path.name() != null
                        && (path.subresource() == null || path.subresource().equals("status"));
        if ((!create && !replace) || definitionOf(path).isEmpty()) {
            return request;
        }
        JsonNode object = RequestBodies.parse(request);
        Optional<MockResponse> rejected = admit(path, object);
        if (rejected.isPresent()) {
            throw new Rejected(rejected.get());
        }
        return RequestBodies.withBody(request, Serialization.asJson(object));
    }

    /**
     * A patched custom resource, before it is stored: pruned in place.
     *
     * @throws Rejected with the 422 answer when it violates its schema
     */
    void admitPatched(ApiPath path, JsonNode patched) {
        Optional<MockResponse> rejected = admit(path, patched);
        if (rejected.isPresent()) {
            throw new Rejected(rejected.get());
        }
    }

    /** A write refused by the schema; {@link #response()} is the API server's answer. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient MockResponse response;

        Rejected(MockResponse response) {
            super("the custom resource violates its schema", null, false, false);
            this.response = response;
        }

        MockResponse response() {
            return response;
        }
    }

    /**
     * Prunes and validates {@code object} (changed in place) when {@code path} is a custom
     * resource; built-in kinds pass untouched.
     *
     * @return the 422 Invalid answer naming every violation, or empty when the object may be stored
     */
    Optional<MockResponse> admit(ApiPath path, JsonNode object) {
        if (!(object instanceof ObjectNode)) {
            return Optional.empty();
        }
        Optional<CustomResourceDefinition> crd = definitionOf(path);
        if (crd.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> schema =
                crd.get().getSpec().getVersions().stream()
                        .filter(v -> v.getName().equals(path.version()))
                        .map(CustomResourceDefinitionVersion::getSchema)
                        .filter(s -> s != null && s.getOpenAPIV3Schema() != null)
                        .map(
                                s ->
                                        Serialization.jsonMapper()
                                                .<JsonNode>valueToTree(s.getOpenAPIV3Schema()))
                        .findFirst();
        SchemaViolations violations = new SchemaViolations();
        String name = object.path("metadata").path("name").asText("");
        if (!name.isEmpty() && !DNS_SUBDOMAIN.matcher(name).matches()) {
            violations.invalid(
                    "metadata.name",
                    SchemaViolations.quoted(name),
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                            + " characters, '-' or '.', and must start and end with an"
                            + " alphanumeric character (e.g. 'example.com', regex used for"
                            + " validation is '"
                            + DNS_SUBDOMAIN.pattern()
                            + "')");
        } else if (name.length() > 253) {
            violations.tooLong("metadata.name", 253);
        }
        if (schema.isPresent()) {
            ObjectNode body = (ObjectNode) object;
            SchemaPruning.pruneObject(schema.get(), body);
            for (String field : List.of("spec", "status")) {
                SchemaDefaults.apply(schema.get().path("properties").path(field), body.get(field));
            }
            violations.check(schema.get(), withoutMetadata(body), "");
        }
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(invalid(crd.get(), name, violations.causes()));
    }

    /** metadata is the API server's, checked above; the schema only types its top level. */
    private static JsonNode withoutMetadata(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove("metadata");
        return copy;
    }

    private static MockResponse invalid(
            CustomResourceDefinition crd, String name, List<StatusCause> causes) {
        String kind = crd.getSpec().getNames().getKind();
        String qualified = kind + "." + crd.getSpec().getGroup();
        List<String> each = causes.stream().map(c -> c.getField() + ": " + c.getMessage()).toList();
        String message = each.size() == 1 ? each.get(0) : "[" + String.join(", ", each) + "]";
        return ApiResponses.json(
                422,
                new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(422)
                        .withReason("Invalid")
                        .withMessage(qualified + " \"" + name + "\" is invalid: " + message)
                        .withNewDetails()
                        .withName(name)
                        .withGroup(crd.getSpec().getGroup())
                        .withKind(kind)
                        .withCauses(causes)
                        .endDetails()
                        .build());
    }
}
