package io.daskkubernetes.bench;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.cluster.StartSpans;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.TcpSchedulerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10's start-up benchmark: from {@code KubeCluster.builder()...start()} to a connected
 * scheduler client on the local runtime (warm JVM, runtime already up), beside a bare {@code
 * dask-scheduler} process from its start to answering over TCP, in alternating rounds of one run,
 * with the median of each start step.
 *
 * <p>Run: see bench/cluster/README.md.
 */
public final class StartupBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String loadBefore = BenchMachine.loadAverage();
        List<Long> kube = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        try (LocalKubernetes runtime = LocalKubernetes.start()) {
            throughKubeCluster(runtime, new LinkedHashMap<>()); // warm-up
            bareScheduler();
            for (int round = 1; round <= rounds; round++) {
                kube.add(throughKubeCluster(runtime, steps));
                bare.add(bareScheduler());
                System.out.printf(
                        "round %d: KubeCluster %d ms, bare dask-scheduler %d ms%n",
                        round, kube.get(round - 1), bare.get(round - 1));
            }
        }
        StringBuilder report = new StringBuilder();
        report.append("## Start-up: KubeCluster start to a connected scheduler (bench/cluster)\n\n")
                .append("Machine: ")
                .append(BenchMachine.describe())
                .append(" Load average ")
                .append(loadBefore)
                .append(" before, ")
                .append(BenchMachine.loadAverage())
                .append(" after. ")
                .append(rounds)
                .append(" alternating rounds after a warm-up of each; warm JVM, local runtime")
                .append(" already running, examples/worker-spec.yml.\n\n")
                .append("| what | median | min | max |\n|---|---|---|---|\n")
                .append(row("KubeCluster start → scheduler client connected", kube))
                .append(row("bare dask-scheduler → answers over TCP", bare));
        steps.forEach((step, millis) -> report.append(row("  step: " + step, millis)));
        System.out.println(report);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), report.toString());
        }
        System.exit(0);
    }

    static long throughKubeCluster(LocalKubernetes runtime, Map<String, List<Long>> steps) {
        long start = System.nanoTime();
        try (KubeCluster cluster =
                KubeCluster.builder()
                        .kubernetesClient(runtime.client())
                        .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .namespace("default")
                        .workerTemplate(PodTemplateFiles.read(ScaleUpBenchmark.SPEC))
                        .start()) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (StartSpans.Span span : cluster.startSpans()) {
                steps.computeIfAbsent(span.step(), s -> new ArrayList<>()).add(span.millis());
            }
            return millis;
        }
    }

    static long bareScheduler() throws Exception {
        int port = ScaleUpBenchmark.freePort();
        long start = System.nanoTime();
        Process scheduler =
                new ProcessBuilder(
                                "/usr/bin/dask-scheduler",
                                "--host",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(port),
                                "--dashboard-address",
                                "127.0.0.1:" + ScaleUpBenchmark.freePort())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try (SchedulerClient client = new TcpSchedulerClient("tcp://127.0.0.1:" + port)) {
            ScaleUpBenchmark.awaitHealthy(client);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            scheduler.destroy();
            if (!scheduler.waitFor(20, TimeUnit.SECONDS)) {
                scheduler.destroyForcibly().waitFor();
            }
        }
    }

    private static String row(String what, List<Long> millis) {
        return String.format(
                "| %s | %.2f s | %.2f s | %.2f s |%n",
                what,
                BenchMachine.median(millis) / 1000.0,
                millis.stream().min(Long::compare).orElseThrow() / 1000.0,
                millis.stream().max(Long::compare).orElseThrow() / 1000.0);
    }
}
