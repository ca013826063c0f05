package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of malformed and abusive requests (selectors, options, bodies, patches, sizes, paths and
 * methods): each is answered with the 4xx kube-apiserver gives and a Status, nothing is stored or
 * deleted, and the server goes on serving.
 */
class MalformedRequestsTest {

    private static final String NS = "/api/v1/namespaces/abuse";
    private static final String CMS = NS + "/configmaps";
    private static final String PODS = NS + "/pods";
    private static final String JSON = "application/json";
    private static final String MERGE = "application/merge-patch+json";
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";

    private static EmbeddedApiServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedApiServer.start(ClusterIpAllocator.loopback());
        http = AuthenticatedConnections.httpClient(server);
        send("POST", "/api/v1/namespaces", JSON, "{\"metadata\":{\"name\":\"abuse\"}}");
        for (String name : List.of("a", "b", "c")) {
            send(
                    "POST",
                    CMS,
                    JSON,
                    "{\"metadata\":{\"name\":\""
                            + name
                            + "\",\"labels\":{\"app\":\""
                            + name
                            + "\"}},\"data\":{\"k\":\"v\"}}");
        }
        // A pod bound to a node no kubelet serves, marked running as a kubelet would.
        send(
                "POST",
                PODS,
                JSON,
                "{\"metadata\":{\"name\":\"runner\"},\"spec\":{\"nodeName\":\"elsewhere\","
                        + "\"containers\":[{\"name\":\"main\",\"image\":\"x\",\"command\":[\"sleep\",\"60\"]}]}}");
        send("PATCH", PODS + "/runner/status", MERGE, "{\"status\":{\"phase\":\"Running\"}}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> malformedRequests() {
        String bigBody =
                "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\""
                        + "x".repeat(4 * 1024 * 1024)
                        + "\"}}";
        return Stream.of(
                // label selectors that do not parse: never "select everything"
                row("DELETE", CMS + "?labelSelector=" + enc("a in ("), null, null, 400),
                row("DELETE", CMS + "?labelSelector=" + enc("==="), null, null, 400),
                row("DELETE", CMS + "?labelSelector=" + enc("app!!x"), null, null, 400),
                row("DELETE", CMS + "?labelSelector=" + enc("app in ()"), null, null, 400),
                row("DELETE", CMS + "?labelSelector=" + enc("-bad-=x"), null, null, 400),
                row("DELETE", CMS + "?labelSelector=" + enc("app=a b"), null, null, 400),
                row("GET", CMS + "?labelSelector=" + enc("app notin a"), null, null, 400),
                row("DELETE", PODS + "?labelSelector=" + enc("x>y"), null, null, 400),
                // field selectors: malformed, or a field kube-apiserver does not index
                row("DELETE", PODS + "?fieldSelector=" + enc("spec.foo=bar"), null, null, 400),
                row("DELETE", CMS + "?fieldSelector=" + enc("status.phase=x"), null, null, 400),
                row("GET", PODS + "?fieldSelector=" + enc("nonsense"), null, null, 400),
                // options
                row("GET", PODS + "?watch=maybe", null, null, 400),
                row("GET", PODS + "/runner/log?follow=perhaps", null, null, 400),
                row("DELETE", CMS + "/a?dryRun=Some", null, null, 422),
                row("DELETE", CMS + "/a?propagationPolicy=Sideways", null, null, 422),
                row("DELETE", CMS + "/a", JSON, "{\"propagationPolicy\":\"Sideways\"}", 422),
                row("DELETE", CMS + "/a", JSON, "{not json", 400),
                row("DELETE", CMS + "/a?gracePeriodSeconds=soon", null, null, 400),
                row("POST", CMS + "?dryRun=Partly", JSON, cm("d"), 422),
                row("GET", CMS + "?limit=ten", null, null, 400),
                row("GET", CMS + "?limit=1&continue=garbage", null, null, 400),
                row("POST", CMS + "?fieldValidation=Loose", JSON, cm("d"), 400),
                // bodies
                row("POST", CMS, JSON, "{bad", 400),
                row("POST", CMS, JSON, "[1,2]", 400),
                row("POST", CMS, JSON, "", 400),
                row("POST", CMS, JSON, "\"text\"", 400),
                row("POST", CMS, "application/vnd.kubernetes.protobuf", "k8s\0garbage", 400),
                row("POST", CMS, "application/cbor", "garbage", 415),
                row("POST", CMS, JSON, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"d\"}}", 400),
                row(
                        "POST",
                        CMS,
                        JSON,
                        "{\"apiVersion\":\"v2\",\"metadata\":{\"name\":\"d\"}}",
                        400),
                row("POST", CMS, JSON, "{\"metadata\":{\"name\":\"d\",\"namespace\":\"x\"}}", 400),
                row("POST", "/api/v1/namespaces/nowhere/configmaps", JSON, cm("d"), 404),
                row("POST", PODS, JSON, "{\"metadata\":{\"name\":\"p\"},\"spec\":\"nope\"}", 400),
                row("POST", CMS, JSON, bigBody, 413),
                row("PUT", CMS + "/a", JSON, "{bad", 400),
                row("PUT", CMS + "/a", JSON, "{\"metadata\":{\"name\":\"b\"}}", 400),
                // patches
                row("PATCH", CMS + "/a", MERGE, "{bad", 400),
                row("PATCH", CMS + "/a", MERGE, "[]", 400),
                row("PATCH", CMS + "/a", JSON_PATCH, "{\"op\":\"add\"}", 400),
                row(
                        "PATCH",
                        CMS + "/a",
                        JSON_PATCH,
                        "[{\"op\":\"remove\",\"path\":\"/nothing\"}]",
                        422),
                row(
                        "PATCH",
                        CMS + "/a",
                        JSON_PATCH,
                        "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]",
                        422),
                row("PATCH", CMS + "/a", STRATEGIC, "{\"$patch\":\"explode\"}", 422),
                row("PATCH", CMS + "/a", "application/apply-patch+yaml", "metadata: {}", 415),
                row("PATCH", CMS + "/missing", MERGE, "{}", 404),
                row("PATCH", PODS + "/runner", MERGE, "{\"spec\":{\"containers\":null}}", 422),
                row("PATCH", PODS + "/runner", MERGE, "{\"spec\":null}", 422),
                row(
                        "PATCH",
                        PODS + "/runner",
                        STRATEGIC,
                        "{\"spec\":{\"restartPolicy\":\"Never\"}}",
                        422),
                row(
                        "PATCH",
                        PODS + "/runner",
                        JSON_PATCH,
                        "[{\"op\":\"remove\",\"path\":\"/spec/containers/0\"}]",
                        422),
                row(
                        "PUT",
                        PODS + "/runner",
                        JSON,
                        "{\"metadata\":{\"name\":\"runner\"},\"spec\":{\"containers\":[{\"name\":"
                                + "\"main\",\"image\":\"x\",\"command\":[\"rm\",\"-rf\",\"/\"]}]}}",
                        422),
                // paths and methods that are not served
                row("GET", "/foo", null, null, 404),
                row("GET", "/metrics", null, null, 404),
                row("GET", PODS + "/runner/proxy", null, null, 404),
                row("GET", "/api/v1/services/x/proxy", null, null, 404),
                row("GET", "/api/v1/nosuchthings", null, null, 404),
                row("GET", "/apis/nosuch.group/v1/things", null, null, 404),
                row("GET", "/api/v1/namespaces/abuse/nodes", null, null, 404),
                row("DELETE", CMS + "/a/status", null, null, 404),
                row("POST", CMS + "/a", JSON, cm("a"), 405),
                row("PUT", CMS, JSON, cm("a"), 405),
                row("DELETE", "/api/v1/configmaps", null, null, 405),
                row("OPTIONS", CMS, null, null, 405),
                row("DELETE", "/healthz", null, null, 405));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("malformedRequests")
    void isRefusedWithAStatusAndChangesNothing(
            String method, String path, String contentType, String body, int expectedCode)
            throws Exception {
        Map<String, String> before = everything();

        HttpResponse<String> response = send(method, path, contentType, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedCode);
        JsonNode status = Serialization.unmarshal(response.body(), JsonNode.class);
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(expectedCode);
        assertThat(status.path("message").asText()).isNotBlank();
        assertThat(everything()).isEqualTo(before);
        assertThat(send("GET", "/healthz", null, null).body()).isEqualTo("ok");
    }

    /** Every stored object by path, as JSON: what must not change. */
    private static Map<String, String> everything() {
        Map<String, String> objects = new TreeMap<>();
        for (ObjectStore.StoredObject stored : server.store().all()) {
            objects.put(stored.path(), Serialization.asJson(stored.object()));
        }
        assertThat(objects.keySet()).contains(CMS + "/a", CMS + "/b", CMS + "/c", PODS + "/runner");
        return objects;
    }

    private static HttpResponse<String> send(
            String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                AuthenticatedConnections.request(server, path)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Arguments row(
            String method, String path, String contentType, String body, int code) {
        return Arguments.of(method, path, contentType, body, code);
    }

    private static String cm(String name) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
