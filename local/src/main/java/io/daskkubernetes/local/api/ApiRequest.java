package io.daskkubernetes.local.api;

import java.util.Locale;

/**
 * One request as the API server received it, with the attributes kube-apiserver's authorizer
 * decides on (its RequestInfo): verb, API group, resource (with its subresource, as RBAC names
 * them: {@code pods/log}), namespace and name. What the local runtime's request observers get, so
 * that a test can check what a client does against an RBAC Role.
 *
 * @param method HTTP method
 * @param uri path and query as sent
 * @param userAgent the client's User-Agent header, null when it sent none
 * @param webSocket true when the request asked for a WebSocket upgrade (fabric8's watches)
 */
public record ApiRequest(String method, String uri, String userAgent, boolean webSocket) {

    /** True for a request on a resource (not discovery, /version or /openapi). */
    public boolean isResourceRequest() {
        return path().isResource();
    }

    public ApiPath path() {
        return ApiPath.parse(uri);
    }

    /** The API group, "" for the core group. */
    public String group() {
        return path().group();
    }

    /** The resource as RBAC names it: plural, with "/subresource" when there is one. */
    public String resource() {
        ApiPath path = path();
        return path.subresource() == null
                ? path.resource()
                : path.resource() + "/" + path.subresource();
    }

    /** The namespace, null for cluster-scoped requests and lists across all namespaces. */
    public String namespace() {
        return path().namespace();
    }

    /**
     * The RBAC verb, as kube-apiserver derives it: get, list, watch, create, update, patch, delete,
     * deletecollection.
     */
    public String verb() {
        ApiPath path = path();
        String httpMethod = method.toUpperCase(Locale.ROOT);
        boolean collection = path.name() == null;
        return switch (httpMethod) {
            case "GET" -> path.isWatch() || webSocket ? "watch" : collection ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> httpMethod.toLowerCase(Locale.ROOT);
        };
    }
}
