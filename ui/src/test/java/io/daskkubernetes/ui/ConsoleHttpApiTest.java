package io.daskkubernetes.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's HTTP API on fabric8's CRUD mock (no processes): who gets in, what a write needs,
 * how bad requests are answered, and what the informers and decisions make of a cluster's objects.
 */
@EnableKubernetesMockClient(crud = true)
class ConsoleHttpApiTest {

    static final Duration SAMPLING = Duration.ofMillis(200);

    KubernetesClient client;
    WebConsole console;

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
    }

    WebConsole start(boolean allowScaling) {
        console =
                WebConsole.start(
                        client,
                        ConsoleOptions.defaults()
                                .withNamespace("default")
                                .withAllowScaling(allowScaling)
                                .withSamplingInterval(SAMPLING));
        return console;
    }

    @Test
    void theTokenIsNeededAndSwappedForAStrictCookie() throws Exception {
        ConsoleClient api = new ConsoleClient(start(false));
        assertThat(api.send(api.unauthenticated("/api/clusters").GET().build()).statusCode())
                .isEqualTo(401);
        assertThat(
                        api.send(
                                        api.unauthenticated("/api/clusters")
                                                .header("Cookie", ConsoleAccess.COOKIE + "=guess")
                                                .GET()
                                                .build())
                                .statusCode())
                .isEqualTo(401);

        HttpResponse<String> first =
                api.send(api.unauthenticated("/?token=" + console.token()).GET().build());
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).hasValue("/");
        assertThat(first.headers().firstValue("Set-Cookie").orElseThrow())
                .contains(
                        ConsoleAccess.COOKIE + "=" + console.token(),
                        "HttpOnly",
                        "SameSite=Strict");
        HttpResponse<String> page =
                api.send(
                        api.unauthenticated("/")
                                .header("Cookie", ConsoleAccess.COOKIE + "=" + console.token())
                                .GET()
                                .build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Dask clusters");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");
        assertThat(
                        api.send(api.request("/webjars/uplot/dist/uPlot.iife.min.js").GET().build())
                                .body())
                .contains("uPlot");
    }

    @Test
    void aReadOnlyConsoleRefusesEveryWriteAndHandsOutNoCsrfSecret() throws Exception {
        ConsoleClient api = new ConsoleClient(start(false));
        assertThat(api.get("/api/session").has("csrf")).isFalse();
        HttpResponse<String> write =
                api.send(
                        api.request("/api/scale")
                                .header(ConsoleAccess.CSRF_HEADER, "anything")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build());
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("--allow-scaling");
    }

    @Test
    void writesNeedTheCsrfHeaderAndTheConsolesOwnOriginAndNameTheirBadFields() throws Exception {
        createClassicCluster("c1", Map.of("adapt-minimum", "1", "adapt-maximum", "4"));
        ConsoleClient api = new ConsoleClient(start(true));
        String csrf = api.get("/api/session").get("csrf").asText();
        String body =
                "{\"kind\":\"classic\",\"namespace\":\"default\",\"name\":\"c1\",\"workers\":2}";

        assertThat(post(api, body, null, null).statusCode()).isEqualTo(403);
        assertThat(post(api, body, "wrong", null).statusCode()).isEqualTo(403);
        assertThat(post(api, body, csrf, "http://attacker.example").statusCode()).isEqualTo(403);

        HttpResponse<String> noCount =
                post(
                        api,
                        "{\"kind\":\"classic\",\"namespace\":\"default\",\"name\":\"c1\"}",
                        csrf,
                        null);
        assertThat(noCount.statusCode()).isEqualTo(400);
        assertThat(noCount.body()).contains("workers");
        HttpResponse<String> badKind =
                post(
                        api,
                        "{\"kind\":\"pod\",\"namespace\":\"default\",\"name\":\"c1\",\"workers\":1}",
                        csrf,
                        null);
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(badKind.body()).contains("kind", "classic", "DaskCluster");

        // The cluster adapts in the process that started it: a scale would be undone.
        HttpResponse<String> adapting = post(api, body, csrf, null);
        assertThat(adapting.statusCode()).isEqualTo(409);
        assertThat(adapting.body()).contains("adapts between 1 and 4");
    }

    @Test
    void aClustersObjectsBecomeItsRowProblemsAndDecisions() throws Exception {
        createClassicCluster("c2", Map.of());
        ConsoleClient api = new ConsoleClient(start(false));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            JsonNode clusters = api.get("/api/clusters").get("clusters");
                            return clusters.size() == 1
                                    && clusters.get(0)
                                            .get("problems")
                                            .toString()
                                            .contains("scheduler unreachable");
                        });
        JsonNode row = api.get("/api/clusters").get("clusters").get(0);
        assertThat(row.get("name").asText()).isEqualTo("c2");
        assertThat(row.get("pods").asInt()).isEqualTo(1);
        assertThat(row.get("registered").isNull()).isTrue();

        // Its adaptive loop records a new desired count: a decision with its reason.
        client.configMaps()
                .inNamespace("default")
                .withName("c2")
                .edit(
                        owner -> {
                            owner.getData().put("adapt-minimum", "1");
                            owner.getData().put("adapt-maximum", "4");
                            owner.getData().put("workers-desired", "3");
                            owner.getData().put("workers-desired-at", "2026-12-05T10:00:00Z");
                            return owner;
                        });
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                api.get("/api/cluster?kind=classic&namespace=default&name=c2")
                                        .get("decisions")
                                        .toString()
                                        .contains(
                                                "desired workers unset → 3, by the adaptive loop within 1–4"));
        JsonNode detail = api.get("/api/cluster?kind=classic&namespace=default&name=c2");
        assertThat(detail.get("canScale").asBoolean()).isFalse();
        assertThat(detail.get("workers").get(0).get("pod").asText()).isEqualTo("c2-worker-a");
        assertThat(detail.get("history").get("t").size()).isPositive();

        HttpResponse<String> unknown =
                api.send(
                        api.request("/api/cluster?kind=classic&namespace=default&name=nope")
                                .GET()
                                .build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> missingParameter =
                api.send(api.request("/api/cluster?kind=classic&namespace=default").GET().build());
        assertThat(missingParameter.statusCode()).isEqualTo(400);
        assertThat(missingParameter.body()).contains("name");
        HttpResponse<String> notDasks =
                api.send(api.request("/api/logs?namespace=default&pod=kube-dns").GET().build());
        assertThat(notDasks.statusCode()).isEqualTo(404);
    }

    @Test
    void aDaskClusterIsListedScaledByItsReplicasAndMadeToAdaptByAnAutoscaler() throws Exception {
        DaskCluster cluster = EmptyDaskCluster.of("op1", 2);
        client.resources(DaskCluster.class).inNamespace("default").resource(cluster).create();

        ConsoleClient api = new ConsoleClient(start(true));
        String csrf = api.get("/api/session").get("csrf").asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/clusters").get("clusters").size() == 1);
        JsonNode row = api.get("/api/clusters").get("clusters").get(0);
        assertThat(row.get("kind").asText()).isEqualTo("DaskCluster");
        assertThat(row.get("desired").asInt()).isEqualTo(2);
        JsonNode detail = api.get("/api/cluster?kind=DaskCluster&namespace=default&name=op1");
        assertThat(detail.get("canScale").asBoolean()).isTrue();
        assertThat(detail.get("canAdapt").asBoolean()).isTrue();

        String key = "\"kind\":\"DaskCluster\",\"namespace\":\"default\",\"name\":\"op1\"";
        assertThat(post(api, "{" + key + ",\"workers\":5}", csrf, null).statusCode())
                .isEqualTo(202);
        assertThat(
                        client.resources(DaskCluster.class)
                                .inNamespace("default")
                                .withName("op1")
                                .get()
                                .getSpec()
                                .getWorker()
                                .getReplicas())
                .isEqualTo(5);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                api.get("/api/cluster?kind=DaskCluster&namespace=default&name=op1")
                                        .get("decisions")
                                        .toString()
                                        .contains(
                                                "desired workers 2 → 5, by a change of spec.worker.replicas"));

        HttpResponse<String> adapt =
                api.send(
                        api.request("/api/adapt")
                                .header(ConsoleAccess.CSRF_HEADER, csrf)
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{" + key + ",\"minimum\":1,\"maximum\":6}"))
                                .build());
        assertThat(adapt.statusCode()).as(adapt.body()).isEqualTo(202);
        DaskAutoscaler autoscaler =
                client.resources(DaskAutoscaler.class).inNamespace("default").withName("op1").get();
        assertThat(autoscaler.getSpec().getCluster()).isEqualTo("op1");
        assertThat(autoscaler.getSpec().getMinimum()).isEqualTo(1);
        assertThat(autoscaler.getSpec().getMaximum()).isEqualTo(6);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                api.get("/api/clusters")
                                                .get("clusters")
                                                .get(0)
                                                .get("adaptMaximum")
                                                .asInt()
                                        == 6);
    }

    private static HttpResponse<String> post(
            ConsoleClient api, String body, String csrf, String origin) throws Exception {
        HttpRequest.Builder request =
                api.request("/api/scale")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header(ConsoleAccess.CSRF_HEADER, csrf);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return api.send(request.build());
    }

    private void createClassicCluster(String name, Map<String, String> data) {
        Map<String, String> labels =
                Map.of(DaskLabels.APP, DaskLabels.APP_VALUE, DaskLabels.CLUSTER_NAME, name);
        client.configMaps()
                .inNamespace("default")
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels(labels)
                                .addToLabels(DaskLabels.COMPONENT, DaskLabels.COMPONENT_CLUSTER)
                                .endMetadata()
                                .addToData(data)
                                .addToData("scheduler-address", "tcp://" + name + ".default:8786")
                                .build())
                .create();
        for (String[] pod :
                new String[][] {
                    {name + "-scheduler", DaskLabels.COMPONENT_SCHEDULER},
                    {name + "-worker-a", DaskLabels.COMPONENT_WORKER}
                }) {
            client.pods()
                    .inNamespace("default")
                    .resource(
                            new PodBuilder()
                                    .withNewMetadata()
                                    .withName(pod[0])
                                    .addToLabels(labels)
                                    .addToLabels(DaskLabels.COMPONENT, pod[1])
                                    .endMetadata()
                                    .withNewStatus()
                                    .withPhase("Running")
                                    .endStatus()
                                    .build())
                    .create();
        }
    }
}
