package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which paths and methods the API server serves, checked before anything else: the health endpoints
 * answer {@code ok}, an unknown path is 404 and a method a path does not take is 405, each with a
 * Status, as kube-apiserver answers. Never a 200 for a path that is not served.
 */
final class ServedPaths {

    private static final Set<String> HEALTH = Set.of("healthz", "livez", "readyz");

    /** Subresources served here besides {@code status} (which discovery lists per kind). */
    private static final Set<String> POD_SUBRESOURCES = Set.of("log");

    private final Discovery discovery;

    ServedPaths(Discovery discovery) {
        this.discovery = discovery;
    }

    /**
     * @return the answer for a path answered here (health, the root), empty for requests that go on
     * @throws ApiException 404 for a path not served, 405 for a method the path does not take
     */
    Optional<MockResponse> check(ApiPath path, String method) {
        String root = path.root();
        if (HEALTH.contains(root)) {
            requireMethod(method, "GET");
            return Optional.of(ApiResponses.text(200, "ok"));
        }
        if (root.isEmpty()) {
            requireMethod(method, "GET");
            return Optional.of(ApiResponses.json(200, java.util.Map.of("paths", rootPaths())));
        }
        if (root.equals("version")) {
            requireMethod(method, "GET");
            return Optional.empty();
        }
        if (root.equals("openapi")) {
            requireMethod(method, "GET");
            return Optional.empty();
        }
        if (!root.equals("api") && !root.equals("apis")) {
            throw notFound();
        }
        if (path.resource() == null) {
            requireMethod(method, "GET");
            return Optional.empty();
        }
        Discovery.Resource resource =
                discovery
                        .find(path.group(), path.version(), path.resource())
                        .orElseThrow(ServedPaths::notFound);
        if (path.namespace() != null && !resource.namespaced()) {
            throw notFound();
        }
        if (path.subresource() != null) {
            boolean served =
                    discovery
                                    .find(
                                            path.group(),
                                            path.version(),
                                            path.resource() + "/" + path.subresource())
                                    .isPresent()
                            || (path.isCoreResource("pods")
                                    && POD_SUBRESOURCES.contains(path.subresource()));
            if (!served || path.name() == null) {
                throw notFound();
            }
            if (path.subresource().equals("log")) {
                requireMethod(method, "GET");
            } else {
                requireMethod(method, "GET", "PUT", "PATCH");
            }
            return Optional.empty();
        }
        if (path.name() == null) {
            if (resource.namespaced() && path.namespace() == null) {
                // Lists across all namespaces; objects are created and deleted in one.
                requireMethod(method, "GET");
            } else {
                requireMethod(method, "GET", "POST", "DELETE");
            }
        } else {
            requireMethod(method, "GET", "PUT", "PATCH", "DELETE");
        }
        return Optional.empty();
    }

    private static void requireMethod(String method, String... allowed) {
        if (!List.of(allowed).contains(method)) {
            throw methodNotAllowedException(method);
        }
    }

    private static ApiException methodNotAllowedException(String method) {
        return new ApiException(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource (" + method + ")");
    }

    static MockResponse methodNotAllowed(String method) {
        return methodNotAllowedException(method).toResponse();
    }

    private static ApiException notFound() {
        return ApiException.notFound("the server could not find the requested resource");
    }

    private static List<String> rootPaths() {
        return List.of(
                "/api",
                "/api/v1",
                "/apis",
                "/healthz",
                "/livez",
                "/openapi/v2",
                "/openapi/v3",
                "/readyz",
                "/version");
    }
}
