package io.daskkubernetes.bench;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.TcpSchedulerClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Issue 4's benchmark: seconds from {@code scale(8)} to 8 registered workers on the local runtime,
 * beside 8 {@code dask-worker} processes started by hand against a scheduler started by hand, in
 * alternating rounds of one run. Both use the worker arguments of examples/worker-spec.yml.
 *
 * <p>Run: see bench/cluster/README.md.
 */
public final class ScaleUpBenchmark {

    static final int WORKERS = 8;
    static final Path SPEC = BenchMachine.projectFile("examples/worker-spec.yml");
    static final Duration LIMIT = Duration.ofMinutes(3);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String loadBefore = BenchMachine.loadAverage();
        List<Long> kube = new ArrayList<>();
        List<Long> byHand = new ArrayList<>();
        try (LocalKubernetes runtime = LocalKubernetes.start()) {
            for (int round = 0; round <= rounds; round++) {
                long cluster = throughKubeCluster(runtime);
                long hand = byHand();
                if (round == 0) {
                    System.out.printf("warm-up: KubeCluster %d ms, by hand %d ms%n", cluster, hand);
                    continue;
                }
                kube.add(cluster);
                byHand.add(hand);
                System.out.printf(
                        "round %d: KubeCluster %d ms, by hand %d ms%n", round, cluster, hand);
            }
        }
        String report = report(rounds, kube, byHand, loadBefore, BenchMachine.loadAverage());
        System.out.println(report);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), report);
        }
        System.exit(0);
    }

    static long throughKubeCluster(LocalKubernetes runtime) {
        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(), Map.of()));
        try (KubeCluster cluster =
                KubeCluster.builder()
                        .kubernetesClient(runtime.client())
                        .config(config)
                        .namespace("default")
                        .workerTemplate(PodTemplateFiles.read(SPEC))
                        .start()) {
            long start = System.nanoTime();
            cluster.scale(WORKERS);
            awaitWorkers(() -> cluster.schedulerClient().workers().size());
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    static long byHand() throws Exception {
        Path scratch = Files.createTempDirectory("scale-bench-");
        List<Process> processes = new ArrayList<>();
        try {
            int port = freePort();
            processes.add(
                    new ProcessBuilder(
                                    "/usr/bin/dask-scheduler",
                                    "--host",
                                    "127.0.0.1",
                                    "--port",
                                    String.valueOf(port),
                                    "--dashboard-address",
                                    "127.0.0.1:" + freePort())
                            .redirectErrorStream(true)
                            .redirectOutput(scratch.resolve("scheduler.log").toFile())
                            .start());
            String address = "tcp://127.0.0.1:" + port;
            try (SchedulerClient scheduler = new TcpSchedulerClient(address)) {
                awaitHealthy(scheduler);
                long start = System.nanoTime();
                for (int i = 0; i < WORKERS; i++) {
                    Path dir = Files.createDirectories(scratch.resolve("w" + i));
                    processes.add(
                            new ProcessBuilder(
                                            "/usr/bin/dask-worker",
                                            address,
                                            "--nthreads",
                                            "2",
                                            "--no-dashboard",
                                            "--memory-limit",
                                            "6GB",
                                            "--death-timeout",
                                            "60",
                                            "--name",
                                            "w" + i,
                                            "--host",
                                            "127.0.0.1",
                                            "--local-directory",
                                            dir.toString())
                                    .redirectErrorStream(true)
                                    .redirectOutput(dir.resolve("log").toFile())
                                    .start());
                }
                awaitWorkers(() -> scheduler.workers().size());
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        } finally {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                }
            }
            try (var paths = Files.walk(scratch)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    static void awaitHealthy(SchedulerClient scheduler) throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (scheduler.healthy()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // The scheduler is still starting.
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("scheduler did not start");
    }

    static void awaitWorkers(IntSupplier registered) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (registered.getAsInt() < WORKERS) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "fewer than " + WORKERS + " workers after " + LIMIT);
            }
            try {
                Thread.sleep(50); // polling interval of the measurement, 50 ms resolution
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static void awaitWorkersReach(KubeCluster cluster, int workers) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (cluster.workers().stream().filter(w -> w.registered()).count() < workers) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "fewer than " + workers + " workers after " + LIMIT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String report(
            int rounds, List<Long> kube, List<Long> byHand, String loadBefore, String loadAfter) {
        return "## KubeCluster: scale(8) to 8 registered workers, beside 8 dask-worker processes by hand (bench/cluster)\n\n"
                + "Machine: "
                + BenchMachine.describe()
                + " Load average "
                + loadBefore
                + " before, "
                + loadAfter
                + " after. Workers: examples/worker-spec.yml's arguments (2 threads, nanny), Debian's Dask 2022.12.1;\n"
                + "the local runtime in "
                + (isRoot() ? "pod network namespaces" : "host network")
                + " mode. "
                + rounds
                + " rounds after one warm-up, alternating.\n\n"
                + "| | median | min | max |\n|---|---|---|---|\n"
                + row("KubeCluster.scale(8), local runtime", kube)
                + row("8 dask-worker processes by hand", byHand)
                + "\n";
    }

    private static String row(String what, List<Long> millis) {
        return "| "
                + what
                + " | "
                + seconds(BenchMachine.median(millis))
                + " | "
                + seconds(millis.stream().min(Long::compare).orElseThrow())
                + " | "
                + seconds(millis.stream().max(Long::compare).orElseThrow())
                + " |\n";
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
