package io.daskkubernetes.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17, must show 3: with 20 clusters and 3 browsers polling every page, each scheduler is
 * asked at most once per sampling interval. The schedulers are stand-ins (counting_scheduler.py, a
 * tiny HTTP server answering the sampler's routes and counting them): twenty real Dask schedulers
 * are too heavy for the test machine, and only the count at the scheduler's side matters here.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FleetSamplingTest {

    static final int CLUSTERS = 20;
    static final int BROWSERS = 3;
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Path STAND_IN =
            Path.of("src/test/resources/counting_scheduler.py").toAbsolutePath();

    static LocalKubernetes runtime;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalKubernetes.start();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void eachSchedulerIsAskedAtMostOncePerIntervalHoweverManyBrowsersLook() throws Exception {
        KubernetesClient client = runtime.client();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            names.add(createStandInCluster(client, "count-" + i));
        }
        Map<String, String> clusterIps = new HashMap<>();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> allAnswer(client, names, clusterIps));

        try (WebConsole console =
                WebConsole.start(
                        client,
                        ConsoleOptions.defaults()
                                .withNamespace("default")
                                .withSamplingInterval(INTERVAL))) {
            ConsoleClient api = new ConsoleClient(console);
            // Every cluster listed and its stand-in answering the sampler.
            await().atMost(Duration.ofMinutes(1))
                    .until(
                            () -> {
                                JsonNode clusters = api.get("/api/clusters").get("clusters");
                                int answering = 0;
                                for (JsonNode c : clusters) {
                                    if (c.get("registered").isInt()
                                            && c.get("problems").isEmpty()) {
                                        answering++;
                                    }
                                }
                                return clusters.size() == CLUSTERS && answering == CLUSTERS;
                            });

            Map<String, Count> before = counts(clusterIps);
            AtomicInteger pageViews = new AtomicInteger();
            AtomicReference<Throwable> browserFailure = new AtomicReference<>();
            List<Thread> browsers = new ArrayList<>();
            for (int b = 0; b < BROWSERS; b++) {
                Thread browser =
                        new Thread(
                                () -> browse(api, names, pageViews, browserFailure),
                                "browser-" + b);
                browser.start();
                browsers.add(browser);
            }
            // Three browsers each open the clusters page and every cluster's page, over and over,
            // until they have made 600 page requests: far more than the sampler's rounds.
            try {
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> pageViews.get() >= 600 || browserFailure.get() != null);
            } finally {
                browsers.forEach(Thread::interrupt);
                for (Thread browser : browsers) {
                    browser.join(30_000);
                }
            }
            assertThat(browserFailure.get()).isNull();
            Map<String, Count> after = counts(clusterIps);

            int most = 0;
            long mostIntervals = 0;
            for (String name : names) {
                // Each scheduler's own window: from just before its first count was asked to just
                // after its second was read.
                double seconds = (after.get(name).readBy() - before.get(name).askedAt()) / 1e9;
                long intervals = (long) Math.floor(seconds * 1000 / INTERVAL.toMillis());
                for (String route : List.of("/json/identity.json", "/json/counts.json")) {
                    int asked =
                            after.get(name).routes().getOrDefault(route, 0)
                                    - before.get(name).routes().getOrDefault(route, 0);
                    if (asked > most) {
                        most = asked;
                        mostIntervals = intervals;
                    }
                    // Rounds start one interval apart and each asks once. A window of n whole
                    // intervals holds at most n + 1 round starts, plus one question of the round
                    // before it, still in flight as the window opened (a round that is still
                    // asking when the next one starts is skipped, so never more than one).
                    assertThat(asked)
                            .as(
                                    "%s asked %s in %.2f s (%d intervals)",
                                    name, route, seconds, intervals)
                            .isLessThanOrEqualTo((int) intervals + 2)
                            .isGreaterThanOrEqualTo((int) intervals / 2);
                }
            }
            System.out.printf(
                    "FleetSamplingTest: %d clusters, %d browsers, %d page requests;"
                            + " the most any scheduler was asked one route: %d (its window: %d intervals"
                            + " of %d ms)%n",
                    CLUSTERS, BROWSERS, pageViews.get(), most, mostIntervals, INTERVAL.toMillis());
        } finally {
            for (String name : names) {
                client.pods().inNamespace("default").withName(name + "-scheduler").delete();
                client.services().inNamespace("default").withName(name).delete();
                client.configMaps().inNamespace("default").withName(name).delete();
            }
        }
    }

    private static void browse(
            ConsoleClient api,
            List<String> names,
            AtomicInteger views,
            AtomicReference<Throwable> failure) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                api.get("/api/clusters");
                views.incrementAndGet();
                for (String name : names) {
                    api.get("/api/cluster?kind=classic&namespace=default&name=" + name);
                    views.incrementAndGet();
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (!Thread.currentThread().isInterrupted()) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /**
     * What one stand-in had been asked, by route, read between two instants.
     *
     * @param askedAt {@link System#nanoTime()} before the question
     * @param readBy {@link System#nanoTime()} after the answer
     */
    record Count(Map<String, Integer> routes, long askedAt, long readBy) {}

    /** What each stand-in was asked so far, by route (its /count is not counted). */
    private static Map<String, Count> counts(Map<String, String> clusterIps) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Count> counts = new HashMap<>();
        for (var entry : clusterIps.entrySet()) {
            long askedAt = System.nanoTime();
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://" + entry.getValue() + ":8787/count"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            Map<String, Integer> routes = new HashMap<>();
            ConsoleClient.JSON
                    .readTree(response.body())
                    .properties()
                    .forEach(f -> routes.put(f.getKey(), f.getValue().asInt()));
            counts.put(entry.getKey(), new Count(routes, askedAt, System.nanoTime()));
        }
        return counts;
    }

    private static boolean allAnswer(
            KubernetesClient client, List<String> names, Map<String, String> ips) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (String name : names) {
            var service = client.services().inNamespace("default").withName(name).get();
            String ip = service == null ? null : service.getSpec().getClusterIP();
            if (ip == null || ip.isBlank()) {
                return false;
            }
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://" + ip + ":8787/count"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (Exception notYet) {
                return false;
            }
            ips.put(name, ip);
        }
        return true;
    }

    /** A classic cluster's objects as the console finds them: owner, scheduler pod, Service. */
    private static String createStandInCluster(KubernetesClient client, String name) {
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
                                .build())
                .create();
        client.pods()
                .inNamespace("default")
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name + "-scheduler")
                                .addToLabels(labels)
                                .addToLabels(DaskLabels.COMPONENT, DaskLabels.COMPONENT_SCHEDULER)
                                .endMetadata()
                                .withNewSpec()
                                .withRestartPolicy("Never")
                                .addNewContainer()
                                .withName("scheduler")
                                .withImage("stand-in")
                                .withCommand("/usr/bin/python3", STAND_IN.toString(), name)
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.services()
                .inNamespace("default")
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels(labels)
                                .endMetadata()
                                .withNewSpec()
                                .addToSelector(DaskLabels.CLUSTER_NAME, name)
                                .addToSelector(DaskLabels.COMPONENT, DaskLabels.COMPONENT_SCHEDULER)
                                .addNewPort()
                                .withName("http-dashboard")
                                .withPort(8787)
                                .endPort()
                                .endSpec()
                                .build())
                .create();
        return name;
    }
}
