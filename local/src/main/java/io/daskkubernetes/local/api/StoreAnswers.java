package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The answers of fabric8's CRUD mock, reworded as kube-apiserver gives them: a Status for a missing
 * object (the mock sends an empty 404), AlreadyExists and Conflict for 409s (the mock says
 * Invalid), which is what clients test for.
 */
final class StoreAnswers {

    private StoreAnswers() {}

    /**
     * The mock answers conflicts with reason Invalid; kube-apiserver says AlreadyExists for a
     * create and Conflict for a stale write, which is what clients test for.
     */
    static MockResponse conflict(MockResponse response, ApiPath path, String method) {
        if (response.code() != 409) {
            return response;
        }
        if (method.equals("POST")) {
            return ApiResponses.json(409, alreadyExists(response, path));
        }
        return ApiResponses.status(
                409,
                "Conflict",
                "Operation cannot be fulfilled on "
                        + path.resource()
                        + " \""
                        + path.name()
                        + "\": the object has been modified; please apply your changes to the"
                        + " latest version and try again");
    }

    private static String alreadyExists(MockResponse response, ApiPath path) {
        String message = response.getBody() == null ? "" : response.getBody().readUtf8();
        java.util.regex.Matcher quoted =
                java.util.regex.Pattern.compile("'([^']*)'").matcher(message);
        String name = quoted.find() ? quoted.group(1) : "";
        io.fabric8.kubernetes.api.model.Status status =
                new io.fabric8.kubernetes.api.model.StatusBuilder()
                        .withStatus("Failure")
                        .withCode(409)
                        .withReason("AlreadyExists")
                        .withMessage(path.resource() + " \"" + name + "\" already exists")
                        .withNewDetails()
                        .withName(name)
                        .withKind(path.resource())
                        .endDetails()
                        .build();
        return Serialization.asJson(status);
    }

    /** The mock answers a missing object with an empty 404; kube-apiserver with a Status. */
    static MockResponse notFoundStatus(MockResponse answer, ApiPath path) {
        if (answer.code() == 404 && (answer.getBody() == null || answer.getBody().size() == 0)) {
            return ApiResponses.notFound(path.resource(), path.name());
        }
        return answer;
    }
}
