package io.daskkubernetes.local.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request path of the Kubernetes REST API split into its parts, for example {@code
 * /api/v1/namespaces/default/pods/web/log?tailLines=5} is group "", version v1, namespace default,
 * resource pods, name web, subresource log.
 *
 * @param root the first segment: "api", "apis", "version", "openapi"... ("" for "/")
 * @param group API group, "" for the core group
 * @param version API version, null for discovery paths such as /api and /apis
 * @param namespace namespace, null for cluster-scoped requests and lists across all namespaces
 * @param resource plural resource name, null for discovery paths
 * @param name object name, null for collections
 * @param subresource subresource such as status or log, null when none
 * @param query decoded query parameters (the first value of each)
 */
public record ApiPath(
        String root,
        String group,
        String version,
        String namespace,
        String resource,
        String name,
        String subresource,
        Map<String, String> query) {

    public static ApiPath parse(String requestPath) {
        URI uri = URI.create(requestPath);
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> query = parseQuery(uri.getRawQuery());
        if (segments.isEmpty()) {
            return new ApiPath("", "", null, null, null, null, null, query);
        }
        String root = segments.get(0);
        int restStart;
        String group;
        String version;
        if (root.equals("api")) {
            group = "";
            version = segments.size() > 1 ? segments.get(1) : null;
            restStart = 2;
        } else if (root.equals("apis")) {
            group = segments.size() > 1 ? segments.get(1) : null;
            version = segments.size() > 2 ? segments.get(2) : null;
            restStart = 3;
        } else {
            return new ApiPath(root, "", null, null, null, null, null, query);
        }
        List<String> rest =
                segments.size() > restStart
                        ? segments.subList(restStart, segments.size())
                        : List.of();
        String namespace = null;
        boolean namespaceSubresource =
                rest.size() == 3
                        && rest.get(0).equals("namespaces")
                        && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceSubresource) {
            // /namespaces/{ns}/{resource}[/{name}[/{subresource}]]
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.size() > 0 ? rest.get(0) : null;
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource =
                rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
        return new ApiPath(root, group, version, namespace, resource, name, subresource, query);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        Arrays.stream(rawQuery.split("&"))
                .filter(p -> !p.isEmpty())
                .forEach(
                        pair -> {
                            int equals = pair.indexOf('=');
                            String key =
                                    URLDecoder.decode(
                                            equals < 0 ? pair : pair.substring(0, equals),
                                            StandardCharsets.UTF_8);
                            String value =
                                    equals < 0
                                            ? ""
                                            : URLDecoder.decode(
                                                    pair.substring(equals + 1),
                                                    StandardCharsets.UTF_8);
                            query.putIfAbsent(key, value);
                        });
        return query;
    }

    /** True for paths that name a resource type (as opposed to discovery or /version). */
    public boolean isResource() {
        return version != null && resource != null;
    }

    public boolean isCoreResource(String plural) {
        return isResource() && group.isEmpty() && version.equals("v1") && resource.equals(plural);
    }

    public boolean isWatch() {
        return QueryBoolean.isTrue(query.get("watch"));
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path of the collection this path belongs to, without name, subresource or query. */
    public String collectionPath() {
        StringBuilder path =
                new StringBuilder(
                        group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null) {
            path.append("/namespaces/").append(namespace);
        }
        return path.append('/').append(resource).toString();
    }

    /** The path of the single object this path names, without subresource or query. */
    public String objectPath() {
        return collectionPath() + "/" + name;
    }

    public static String objectPath(
            String apiVersion, String plural, String namespace, String name) {
        String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        String ns = namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + namespace;
        return prefix + ns + "/" + plural + "/" + name;
    }
}
