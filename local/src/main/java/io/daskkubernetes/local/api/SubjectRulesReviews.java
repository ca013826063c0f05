package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code SelfSubjectRulesReview} ({@code kubectl auth can-i --list}; JOSDK asks it before leader
 * election to check it may use Leases): the local runtime's one user may do everything it serves,
 * which the answer says as one wildcard rule. Nothing is stored.
 */
final class SubjectRulesReviews {

    static final String PLURAL = "selfsubjectrulesreviews";

    private SubjectRulesReviews() {}

    static boolean matches(ApiPath path, String method) {
        return method.equals("POST")
                && path.isResource()
                && path.group().equals("authorization.k8s.io")
                && PLURAL.equals(path.resource())
                && path.name() == null;
    }

    static MockResponse answer(JsonNode review) {
        if (review.path("spec").path("namespace").asText("").isEmpty()) {
            throw ApiException.invalid(
                    "SelfSubjectRulesReview.authorization.k8s.io \"\" is invalid: spec.namespace:"
                            + " Required value: set spec.namespace to the namespace to review");
        }
        ObjectNode answer = review.deepCopy();
        ObjectNode status = answer.putObject("status");
        ObjectNode everything = status.putArray("resourceRules").addObject();
        everything.putArray("verbs").add("*");
        everything.putArray("apiGroups").add("*");
        everything.putArray("resources").add("*");
        status.putArray("nonResourceRules")
                .addObject()
                .<ObjectNode>set("verbs", answer.arrayNode().add("*"))
                .set("nonResourceURLs", answer.arrayNode().add("*"));
        status.put("incomplete", false);
        return ApiResponses.json(201, answer);
    }
}
