package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Builds HTTP answers the way the Kubernetes API server words them (JSON bodies, Status objects for
 * errors).
 */
public final class ApiResponses {

    private ApiResponses() {}

    public static MockResponse json(int code, Object body) {
        String text = body instanceof String s ? s : Serialization.asJson(body);
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(text);
    }

    public static MockResponse text(int code, String body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "text/plain")
                .setBody(body);
    }

    /**
     * A failure Status with the reason names Kubernetes uses (NotFound, Invalid, BadRequest...).
     */
    public static MockResponse status(int code, String reason, String message) {
        Status status =
                new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(code)
                        .withReason(reason)
                        .withMessage(message)
                        .build();
        return json(code, status);
    }

    public static MockResponse notFound(String resource, String name) {
        return status(404, "NotFound", resource + " \"" + name + "\" not found");
    }

    public static MockResponse invalid(String kind, String name, String message) {
        return status(422, "Invalid", kind + " \"" + name + "\" is invalid: " + message);
    }

    public static MockResponse badRequest(String message) {
        return status(400, "BadRequest", message);
    }

    public static boolean isSuccess(MockResponse response) {
        return response.code() >= 200 && response.code() < 300;
    }
}
