package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * {@code SelfSubjectAccessReview} ({@code kubectl auth can-i}): the local runtime has one user, its
 * owner, who may do everything the API serves, so every review is allowed. Nothing is stored.
 */
final class AccessReviews {

    static final String PLURAL = "selfsubjectaccessreviews";

    private AccessReviews() {}

    static boolean matches(ApiPath path, String method) {
        return method.equals("POST")
                && path.isResource()
                && path.group().equals("authorization.k8s.io")
                && PLURAL.equals(path.resource())
                && path.name() == null;
    }

    static MockResponse answer(JsonNode review) {
        if (!review.path("spec").has("resourceAttributes")
                && !review.path("spec").has("nonResourceAttributes")) {
            throw ApiException.invalid(
                    "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid:"
                            + " spec.resourceAttributes: Invalid value: \"null\": exactly one of"
                            + " nonResourceAttributes or resourceAttributes must be specified");
        }
        ObjectNode answer = review.deepCopy();
        answer.with("status")
                .put("allowed", true)
                .put("reason", "the local runtime allows its owner everything it serves");
        return ApiResponses.json(201, answer);
    }
}
