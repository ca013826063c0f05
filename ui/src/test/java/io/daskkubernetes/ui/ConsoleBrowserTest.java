package io.daskkubernetes.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.cluster.ClusterWatch;
import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.WorkerState;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 17, must show 1 and 2: Debian's chromium against the console on the local runtime, with two
 * real Dask clusters. One adapts under a real Python client's backlog and the chart's worker line
 * rises and falls; the other is scaled from the page, loses a killed worker pod (a problem on the
 * page) and gets it replaced. A read-only console shows no controls and refuses a forged POST.
 * Screenshots of both pages go to docs/.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {

    static final Path WORKER_SPEC = Path.of("../examples/worker-spec.yml").toAbsolutePath();
    static final Path SLOW_TASKS = Path.of("src/test/resources/slow_tasks.py").toAbsolutePath();
    static final Path DOCS = Path.of("../docs").toAbsolutePath();
    static final Duration SAMPLING = Duration.ofSeconds(1);
    // Chromium and Dask share two loaded cores with other builds: generous bounds.
    static final Duration SLOW = Duration.ofMinutes(2);

    /** The chart's data columns: times, pods, registered workers, desired, unfinished tasks. */
    static final int REGISTERED_SERIES = 2;

    static final int DESIRED_SERIES = 3;

    static LocalKubernetes runtime;

    @TempDir Path profile;

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

    static KubeCluster.Builder cluster() {
        return KubeCluster.builder()
                .kubernetesClient(runtime.client())
                .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                .namespace("default")
                .workerTemplate(PodTemplateFiles.read(WORKER_SPEC));
    }

    private long started;

    /**
     * Prints how long the test took to reach a step: figures for a loaded machine, not asserted.
     */
    private void step(String what) {
        System.out.printf(
                "ConsoleBrowserTest: %5.1f s %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    @Test
    void showsTwoClustersTheirScalingAndTheirProblemsInARealBrowser() throws Exception {
        started = System.nanoTime();
        ConsoleOptions options =
                ConsoleOptions.defaults().withNamespace("default").withSamplingInterval(SAMPLING);
        // The clusters start side by side, and the browser meanwhile: on two loaded cores the
        // test would take a minute longer one after the other.
        CompletableFuture<KubeCluster> adaptiveStart =
                CompletableFuture.supplyAsync(
                        () -> {
                            KubeCluster cluster = cluster().start();
                            cluster.adapt(1, 3);
                            return cluster;
                        });
        CompletableFuture<KubeCluster> fixedStart =
                CompletableFuture.supplyAsync(() -> cluster().workers(1).start());
        try (HeadlessChromium chromium = new HeadlessChromium(profile);
                WebConsole readOnly = WebConsole.start(runtime.client(), options);
                WebConsole writable =
                        WebConsole.start(runtime.client(), options.withAllowScaling(true))) {
            KubeCluster adaptive = adaptiveStart.join();
            KubeCluster fixed = fixedStart.join();
            step("browser, consoles and both clusters started");
            ChromeDriver browser = chromium.driver();

            // Read-only: both clusters listed; on a cluster's page no control at all.
            browser.get(readOnly.url());
            String both =
                    List.of("default/" + adaptive.name(), "default/" + fixed.name()).stream()
                            .sorted()
                            .collect(Collectors.joining(","));
            await().atMost(SLOW)
                    .until(
                            () ->
                                    js(
                                                    browser,
                                                    "return [...document.querySelectorAll('#clusters tbody tr')]"
                                                            + ".map(r => r.dataset.cluster).sort().join(',')")
                                            .equals(both));
            browser.get(readOnly.baseUrl() + clusterPage(fixed));
            await().atMost(SLOW)
                    .until(
                            () ->
                                    js(browser, "return String(window.daskConsole.detail !== null)")
                                            .equals("true"));
            assertThat(browser.findElements(By.id("controls"))).isEmpty();
            assertThat(browser.findElements(By.id("scale-button"))).isEmpty();
            assertForgedPostsAreRefused(readOnly, writable, fixed.name());
            step("read-only console: both listed, no controls, forged POSTs refused");

            // Writable. A backlog for the adaptive cluster, from a real Python client; its chart
            // is read once the other cluster has been scaled and has lost a worker (the history
            // behind the chart is the console's, kept whether a page is open or not).
            browser.get(writable.url());
            browser.get(writable.baseUrl() + clusterPage(adaptive));
            await().atMost(SLOW).until(() -> lastRegistered(browser) == 1);
            Process backlog =
                    new ProcessBuilder(
                                    "/usr/bin/python3",
                                    SLOW_TASKS.toString(),
                                    adaptive.schedulerAddress(),
                                    "60",
                                    "0.5")
                            .redirectErrorStream(true)
                            .start();
            try {
                scaleFromThePageThenKillAWorker(browser, writable, fixed);
                step("scaled from the page; killed worker shown, then replaced");

                assertThat(backlog.waitFor(3, TimeUnit.MINUTES)).isTrue();
                assertThat(new String(backlog.getInputStream().readAllBytes()).strip())
                        .isEqualTo("ok 60 3540");
            } finally {
                backlog.descendants().forEach(ProcessHandle::destroyForcibly);
                backlog.destroyForcibly();
            }
            browser.get(writable.baseUrl() + clusterPage(adaptive));
            await().atMost(SLOW)
                    .until(() -> maxRegistered(browser) >= 2 && lastRegistered(browser) == 1);
            System.out.println(
                    "ConsoleBrowserTest: chart's registered workers "
                            + chartSeries(browser, REGISTERED_SERIES)
                            + ", desired "
                            + chartSeries(browser, DESIRED_SERIES));
            assertThat(chartSeries(browser, DESIRED_SERIES)).contains(3L);
            assertThat(text(browser, "#decisions")).contains("by the adaptive loop within 1–3");
            screenshot(browser, "console-cluster.png");
            step("adaptive chart rose and fell");

            browser.get(writable.baseUrl());
            await().atMost(SLOW)
                    .until(
                            () ->
                                    js(
                                                    browser,
                                                    "return [...document.querySelectorAll('#clusters td.counts')]"
                                                            + ".map(c => c.textContent).sort().join(',')")
                                            .equals("1 / 1 / 1,2 / 2 / 2"));
            browser.manage().window().setSize(new Dimension(1400, 360));
            screenshot(browser, "console-clusters.png");
        } finally {
            closeOnceStarted(adaptiveStart);
            closeOnceStarted(fixedStart);
        }
        step("everything closed");
    }

    /**
     * Scales the cluster from its page to 2 workers, kills one worker pod's processes, sees the
     * problem on the page, then sees the pod replaced by the cluster's watch (what the {@code
     * cluster} command runs).
     */
    private static void scaleFromThePageThenKillAWorker(
            ChromeDriver browser, WebConsole writable, KubeCluster fixed) {
        browser.get(writable.baseUrl() + clusterPage(fixed));
        await().atMost(SLOW).until(() -> browser.findElement(By.id("scale-form")).isDisplayed());
        browser.findElement(By.id("scale-workers")).sendKeys("2");
        browser.findElement(By.id("scale-button")).click();
        await().atMost(SLOW).until(() -> livePods(fixed).size() == 2);
        await().atMost(SLOW)
                .until(
                        () ->
                                js(
                                                browser,
                                                "return String(window.daskConsole.detail.cluster.registered)")
                                        .equals("2"));

        Pod victim = livePods(fixed).get(0);
        String victimName = victim.getMetadata().getName();
        killPodProcesses(victimName);
        await().atMost(SLOW)
                .until(
                        () ->
                                text(browser, "#problems")
                                        .contains("worker pod " + victimName + " failed"));
        try (ClusterWatch watch = fixed.watch()) {
            await().atMost(SLOW)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> {
                                watch.check();
                                String note =
                                        js(
                                                browser,
                                                "const r = document.querySelector('#workers tr[data-pod=\""
                                                        + victimName
                                                        + "\"]'); return r ? r.querySelector('.note').textContent : 'gone';");
                                return !text(browser, "#problems").contains(victimName)
                                        && (note.equals("replaced") || note.equals("gone"));
                            });
        }
        await().atMost(SLOW).until(() -> livePods(fixed).size() == 2);
    }

    private static void closeOnceStarted(CompletableFuture<KubeCluster> start) {
        try {
            start.join().close();
        } catch (java.util.concurrent.CompletionException failedToStart) {
            // Reported by the join in the test body; nothing was left to close.
        }
    }

    /** A cross-site POST carries the cookie but not the CSRF header; it must never scale. */
    private static void assertForgedPostsAreRefused(
            WebConsole readOnly, WebConsole writable, String cluster) throws Exception {
        String body =
                "{\"kind\":\"classic\",\"namespace\":\"default\",\"name\":\""
                        + cluster
                        + "\",\"workers\":5}";
        for (WebConsole console : List.of(readOnly, writable)) {
            ConsoleClient client = new ConsoleClient(console);
            HttpResponse<String> forged =
                    client.send(
                            client.unauthenticated("/api/scale")
                                    .header("Cookie", ConsoleAccess.COOKIE + "=" + console.token())
                                    .header("Origin", "http://attacker.example")
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build());
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
            HttpResponse<String> anonymous =
                    client.send(client.unauthenticated("/api/clusters").GET().build());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
        assertThat(livePods(runtime.client(), cluster)).hasSize(1);
    }

    private static String clusterPage(KubeCluster cluster) {
        return "cluster.html?kind=classic&namespace=default&name=" + cluster.name();
    }

    private static List<Pod> livePods(KubeCluster cluster) {
        return livePods(runtime.client(), cluster.name());
    }

    private static List<Pod> livePods(
            io.fabric8.kubernetes.client.KubernetesClient client, String cluster) {
        return client
                .pods()
                .inNamespace("default")
                .withLabel(DaskLabels.CLUSTER_NAME, cluster)
                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_WORKER)
                .list()
                .getItems()
                .stream()
                .filter(ClusterFacts::live)
                .toList();
    }

    /**
     * Kills the worker pod's processes, as an OOM kill would: they are this JVM's descendants (the
     * local runtime's kubelet started them), found by the pod's name on their command line
     * (dask-worker --name POD) and ended by process handle.
     */
    private static void killPodProcesses(String pod) {
        List<ProcessHandle> processes =
                ProcessHandle.current()
                        .descendants()
                        .filter(
                                p ->
                                        p.info()
                                                .arguments()
                                                .map(a -> List.of(a).contains(pod))
                                                .orElse(false))
                        .toList();
        assertThat(processes).as("processes of pod %s", pod).isNotEmpty();
        for (ProcessHandle process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String js(ChromeDriver browser, String script) {
        Object value = browser.executeScript(script);
        return String.valueOf(value);
    }

    private static String text(ChromeDriver browser, String selector) {
        return js(
                browser,
                "const e = document.querySelector('"
                        + selector
                        + "'); return e ? e.textContent : '';");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> chartSeries(ChromeDriver browser, int series) {
        Object data =
                browser.executeScript(
                        "const c = window.daskConsole.chart; return c ? c.data["
                                + series
                                + "] : [];");
        return data == null ? List.of() : (List<Object>) data;
    }

    private static long lastRegistered(ChromeDriver browser) {
        List<Object> values = chartSeries(browser, REGISTERED_SERIES);
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) instanceof Number n) {
                return n.longValue();
            }
        }
        return -1;
    }

    private static long maxRegistered(ChromeDriver browser) {
        return chartSeries(browser, REGISTERED_SERIES).stream()
                .filter(v -> v instanceof Number)
                .mapToLong(v -> ((Number) v).longValue())
                .max()
                .orElse(-1);
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(DOCS);
        Files.move(shot, DOCS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    static long registered(KubeCluster cluster) {
        return cluster.workers().stream().filter(WorkerState::registered).count();
    }
}
