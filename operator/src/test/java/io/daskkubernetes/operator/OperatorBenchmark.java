package io.daskkubernetes.operator;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 14's benchmark (not part of the build: it runs only with {@code -Dbench=true}; see
 * bench/operator/README.md):
 *
 * <ol>
 *   <li>100 DaskClusters whose pods run {@code sleep} (no Dask), applied at once with one {@code
 *       kubectl apply}: time until every one is phase Running, and the operator's heap (used after
 *       a full GC) and resident memory at the end; the operator runs as a JVM of its own;
 *   <li>one real Dask cluster: from {@code kubectl apply} of a DaskCluster to phase Running, beside
 *       the classic {@code KubeCluster} start to a connected scheduler, on the same runtime and the
 *       same scheduler readiness probe (the /health route every second).
 * </ol>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class OperatorBenchmark {

    private static final int CLUSTERS = Integer.getInteger("bench.clusters", 100);
    private static final int WORKERS_PER_CLUSTER = Integer.getInteger("bench.workers", 1);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final Path RESULTS = Path.of("..", "bench", "RESULTS.md");

    @Test
    void run(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String loadBefore = loadAverage();
        StringBuilder report = new StringBuilder();
        try (LocalKubernetes local = LocalKubernetes.builder().start()) {
            CustomResourceDefinitions.install(local.client());
            Kubectl kubectl = new Kubectl(local.kubeconfig());
            try (OperatorChildProcess operator =
                    OperatorChildProcess.start(
                            local.kubeconfig(), Duration.ofSeconds(120), List.of())) {
                ManyClusters many = manyClusters(local.client(), kubectl, operator, dir);
                List<Long> operatorStarts = new ArrayList<>();
                List<Long> kubeStarts = new ArrayList<>();
                reconcileToRunning(local.client(), kubectl, dir, "warm-up");
                kubeClusterStart(local.client());
                for (int round = 1; round <= ROUNDS; round++) {
                    operatorStarts.add(
                            reconcileToRunning(local.client(), kubectl, dir, "round" + round));
                    kubeStarts.add(kubeClusterStart(local.client()));
                    System.out.printf(
                            "round %d: DaskCluster to Running %d ms, KubeCluster start %d ms%n",
                            round, operatorStarts.get(round - 1), kubeStarts.get(round - 1));
                }
                report.append(
                                "## Operator: 100 DaskClusters at once, and one Dask cluster"
                                        + " beside KubeCluster (bench/operator)\n\n")
                        .append("Machine: ")
                        .append(machine())
                        .append(" Load average ")
                        .append(loadBefore)
                        .append(" before, ")
                        .append(loadAverage())
                        .append(" after. Local runtime in this JVM; the operator in a JVM of its")
                        .append(" own (-Xmx256m).\n\n")
                        .append("| what | figure |\n|---|---|\n")
                        .append(
                                String.format(
                                        "| %d DaskClusters (scheduler + %d worker pod(s) each,"
                                                + " `sleep`), one `kubectl apply` → all phase"
                                                + " Running | %.1f s (kubectl apply itself"
                                                + " %.1f s; the %d pods Running: %.1f s) |%n",
                                        CLUSTERS,
                                        WORKERS_PER_CLUSTER,
                                        many.allRunningMillis / 1000.0,
                                        many.appliedMillis / 1000.0,
                                        many.pods,
                                        many.allPodsRunningMillis / 1000.0))
                        .append(
                                String.format(
                                        "| operator heap used after a full GC, with the %d"
                                                + " clusters | %d MiB (resident %d MiB) |%n",
                                        CLUSTERS, many.heapMiB, many.rssMiB))
                        .append(
                                String.format(
                                        "| one `kubectl delete daskclusters --all` of the %d →"
                                                + " all their pods gone | %.1f s |%n",
                                        CLUSTERS, many.deletedMillis / 1000.0))
                        .append(
                                row(
                                        "one Dask DaskCluster (simplecluster.yaml, 0 workers,"
                                                + " probe every 1 s): `kubectl apply` → phase"
                                                + " Running, median (min–max) of "
                                                + ROUNDS,
                                        operatorStarts))
                        .append(
                                row(
                                        "KubeCluster start → scheduler client connected, same"
                                                + " runtime, median (min–max) of "
                                                + ROUNDS,
                                        kubeStarts));
            }
        }
        System.out.println(report);
        Files.writeString(
                RESULTS,
                "\n" + report,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    record ManyClusters(
            long allRunningMillis,
            long allPodsRunningMillis,
            int pods,
            long heapMiB,
            long rssMiB,
            long appliedMillis,
            long deletedMillis) {}

    private static ManyClusters manyClusters(
            KubernetesClient client, Kubectl kubectl, OperatorChildProcess operator, Path dir)
            throws Exception {
        client.namespaces()
                .resource(
                        new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                                .withNewMetadata()
                                .withName("many")
                                .endMetadata()
                                .build())
                .create();
        StringBuilder manifests = new StringBuilder();
        for (int i = 0; i < CLUSTERS; i++) {
            manifests.append(sleepingCluster("sleepy-" + i));
        }
        Path file = dir.resolve("many.yaml");
        Files.writeString(file, manifests.toString());
        int pods = CLUSTERS * (1 + WORKERS_PER_CLUSTER);

        long start = System.nanoTime();
        kubectl.exec(
                List.of("/usr/bin/kubectl", "apply", "-n", "many", "-f", file.toString()), 600);
        long applied = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long podsRunning = -1;
        while (true) {
            if (podsRunning < 0
                    && client.pods().inNamespace("many").list().getItems().stream()
                                    .filter(p -> "Running".equals(p.getStatus().getPhase()))
                                    .count()
                            == pods) {
                podsRunning = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            long running =
                    client
                            .resources(DaskCluster.class)
                            .inNamespace("many")
                            .list()
                            .getItems()
                            .stream()
                            .filter(
                                    c ->
                                            c.getStatus() != null
                                                    && "Running".equals(c.getStatus().getPhase()))
                            .count();
            if (running == CLUSTERS && podsRunning >= 0) {
                break;
            }
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new AssertionError(running + " of " + CLUSTERS + " Running after 10 min");
            }
            Thread.sleep(200); // polling interval of the measurement, not synchronisation
        }
        long allRunning = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long heap = heapUsedAfterGcMiB(operator.pid());
        long rss = residentMiB(operator.pid());
        System.out.printf(
                "%d clusters Running after %d ms (pods %d ms), heap %d MiB, resident %d MiB%n",
                CLUSTERS, allRunning, podsRunning, heap, rss);
        // The clean-up is measured too: one kubectl delete, then every pod gone (owner references).
        long deleteStart = System.nanoTime();
        kubectl.exec(
                List.of(
                        "/usr/bin/kubectl",
                        "delete",
                        "daskclusters",
                        "--all",
                        "-n",
                        "many",
                        "--wait=false"),
                600);
        while (!client.pods().inNamespace("many").list().getItems().isEmpty()) {
            if (System.nanoTime() - deleteStart > TimeUnit.MINUTES.toNanos(10)) {
                throw new AssertionError("pods of the deleted clusters still there after 10 min");
            }
            Thread.sleep(200); // polling interval of the measurement, not synchronisation
        }
        long deleted = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleteStart);
        System.out.printf("%d clusters deleted, their pods gone after %d ms%n", CLUSTERS, deleted);
        return new ManyClusters(allRunning, podsRunning, pods, heap, rss, applied, deleted);
    }

    private static String sleepingCluster(String name) {
        return """
                ---
                apiVersion: kubernetes.dask.org/v1
                kind: DaskCluster
                metadata:
                  name: %s
                spec:
                  worker:
                    replicas: %d
                    spec:
                      containers:
                      - name: worker
                        image: busybox
                        command: [sleep, "3600"]
                  scheduler:
                    spec:
                      containers:
                      - name: scheduler
                        image: busybox
                        command: [sleep, "3600"]
                    service:
                      selector:
                        dask.org/cluster-name: %s
                        dask.org/component: scheduler
                      ports:
                      - name: tcp-comm
                        port: 8786
                """
                .formatted(name, WORKERS_PER_CLUSTER, name);
    }

    /** kubectl apply of upstream's simplecluster.yaml (0 workers, probe every 1 s) to Running. */
    private static long reconcileToRunning(
            KubernetesClient client, Kubectl kubectl, Path dir, String suffix) throws Exception {
        String name = "bench-" + suffix.toLowerCase();
        String manifest =
                Files.readString(Path.of("..", "examples", "operator", "simplecluster.yaml"))
                        .replace("name: simple\n", "name: " + name + "\n")
                        .replace(
                                "dask.org/cluster-name: simple\n",
                                "dask.org/cluster-name: " + name + "\n")
                        .replace("replicas: 2", "replicas: 0")
                        .replace(
                                "initialDelaySeconds: 5\n            periodSeconds: 10",
                                "initialDelaySeconds: 0\n            periodSeconds: 1");
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, manifest);
        long start = System.nanoTime();
        kubectl.run("apply", "-f", file.toString());
        while (true) {
            DaskCluster cluster =
                    client.resources(DaskCluster.class).inNamespace("default").withName(name).get();
            if (cluster != null
                    && cluster.getStatus() != null
                    && "Running".equals(cluster.getStatus().getPhase())) {
                break;
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                throw new AssertionError(name + " not Running after 120 s");
            }
            Thread.sleep(20); // polling interval of the measurement
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        kubectl.run("delete", "daskcluster", name);
        return millis;
    }

    private static long kubeClusterStart(KubernetesClient client) throws IOException {
        long start = System.nanoTime();
        try (KubeCluster cluster =
                KubeCluster.builder()
                        .kubernetesClient(client)
                        .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .namespace("default")
                        .workerTemplate(
                                PodTemplateFiles.read(Path.of("..", "examples", "worker-spec.yml")))
                        .start()) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    private static long heapUsedAfterGcMiB(long pid) throws Exception {
        jcmd(pid, "GC.run");
        // "garbage-first heap   total 262144K, used 41235K [..."
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            var matcher = java.util.regex.Pattern.compile("used (\\d+)K").matcher(line);
            if (matcher.find()) {
                return Long.parseLong(matcher.group(1)) / 1024;
            }
        }
        throw new AssertionError("no heap figure from jcmd");
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process process =
                new ProcessBuilder("jcmd", String.valueOf(pid), command)
                        .redirectErrorStream(true)
                        .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static long residentMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static String row(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(
                "| %s | %.2f s (%.2f–%.2f s) |%n",
                what,
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(0) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String machine() throws IOException {
        String cpu =
                Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElse("unknown CPU");
        long memoryGiB =
                ((com.sun.management.OperatingSystemMXBean)
                                        ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize()
                        >> 30;
        return Runtime.getRuntime().availableProcessors()
                + " cores ("
                + cpu
                + "), "
                + memoryGiB
                + " GiB, "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + ", JDK "
                + System.getProperty("java.version")
                + ". Date: "
                + LocalDate.now()
                + ".";
    }
}
