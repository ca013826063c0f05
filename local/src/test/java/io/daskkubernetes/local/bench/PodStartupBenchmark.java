package io.daskkubernetes.local.bench;

import io.daskkubernetes.local.LocalKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Latency of the local runtime from pod creation (the create call returns... no: just before it is
 * made) to the container's process running (the process prints its own start time) and to the pod's
 * phase Running (seen by a watch), for 1 pod and for 50 pods created back to back.
 *
 * <p>Run: see bench/local-runtime/README.md. Not a test: it measures, it does not assert.
 */
public final class PodStartupBenchmark {

    private static final String LABEL = "bench";

    private PodStartupBenchmark() {}

    record Sample(double toProcessMillis, double toRunningMillis) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder report = new StringBuilder();
        report.append("### Local runtime: pod creation to process start and to Running\n\n");
        report.append("Machine: ")
                .append(Machine.describe())
                .append(". Date: ")
                .append(LocalDate.now())
                .append(".\n\n");
        try (LocalKubernetes kubernetes = LocalKubernetes.start()) {
            KubernetesClient client = kubernetes.client();
            report.append("Pod network: ")
                    .append(kubernetes.podNetwork())
                    .append(". Rounds per size: ")
                    .append(rounds)
                    .append(
                            " (after one warm-up round). Pod: `sh -c 'date +%s%N; exec sleep 600'`.\n\n");
            report.append(
                    "| pods at once | to process start: median / p90 / max | to Running: median / p90 / max |"
                            + " all 50 Running after |\n|---|---|---|---|\n");
            round(client, 1);
            for (int size : new int[] {1, 50}) {
                List<Sample> samples = new ArrayList<>();
                List<Double> wholeBatch = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long batchStart = System.nanoTime();
                    samples.addAll(round(client, size));
                    wholeBatch.add((System.nanoTime() - batchStart) / 1e6);
                }
                report.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %s | %s |%n",
                                size,
                                stats(samples.stream().map(Sample::toProcessMillis).toList()),
                                stats(samples.stream().map(Sample::toRunningMillis).toList()),
                                size == 1
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.0f ms (median of rounds)",
                                                median(wholeBatch))));
            }
        }
        System.out.println(report);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), report.toString());
        }
    }

    private static List<Sample> round(KubernetesClient client, int size) throws Exception {
        Map<String, Instant> created = new ConcurrentHashMap<>();
        Map<String, Instant> running = new ConcurrentHashMap<>();
        try (Watch ignored =
                client.pods()
                        .withLabel(LABEL)
                        .watch(
                                new Watcher<>() {
                                    @Override
                                    public void eventReceived(Action action, Pod pod) {
                                        if (pod.getStatus() != null
                                                && "Running".equals(pod.getStatus().getPhase())) {
                                            running.putIfAbsent(
                                                    pod.getMetadata().getName(), Instant.now());
                                        }
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {
                                        // Closed at the end of the round.
                                    }
                                })) {
            for (int i = 0; i < size; i++) {
                String name = "bench-" + i;
                Pod pod =
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels(LABEL, "yes")
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(0L)
                                .addNewContainer()
                                .withName("main")
                                .withCommand("sh", "-c", "date +%s%N; exec sleep 600")
                                .endContainer()
                                .endSpec()
                                .build();
                created.put(name, Instant.now());
                client.pods().resource(pod).create();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (running.size() < size) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only " + running.size() + " of " + size + " pods Running after 120 s");
                }
                // A benchmark's polling loop: the watch fills the map, this only waits for it.
                Thread.sleep(5);
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (String name : created.keySet()) {
            String firstLine = waitForFirstLine(client, name);
            long startedNanos = Long.parseLong(firstLine.trim());
            double toProcess = (startedNanos - nanos(created.get(name))) / 1e6;
            double toRunning = (nanos(running.get(name)) - nanos(created.get(name))) / 1e6;
            samples.add(new Sample(toProcess, toRunning));
        }
        client.pods().withLabel(LABEL).withGracePeriod(0).delete();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!client.pods().withLabel(LABEL).list().getItems().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark pods not gone after 60 s");
            }
            Thread.sleep(20);
        }
        return samples;
    }

    private static String waitForFirstLine(KubernetesClient client, String name)
            throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            String log = client.pods().withName(name).getLog();
            if (log != null && log.contains("\n")) {
                return log.substring(0, log.indexOf('\n'));
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("pod " + name + " printed nothing");
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String stats(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%.0f / %.0f / %.0f ms",
                percentile(sorted, 50),
                percentile(sorted, 90),
                sorted.get(sorted.size() - 1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return percentile(sorted, 50);
    }

    private static double percentile(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    /** A one-line description of the machine for the results. */
    static final class Machine {

        private Machine() {}

        static String describe() throws IOException {
            String cpu =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(l -> l.startsWith("model name"))
                            .findFirst()
                            .map(l -> l.substring(l.indexOf(':') + 1).trim())
                            .orElse("unknown CPU");
            String memory =
                    Files.readAllLines(Path.of("/proc/meminfo")).stream()
                            .filter(l -> l.startsWith("MemTotal"))
                            .findFirst()
                            .map(
                                    l ->
                                            Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024
                                                    + " GiB")
                            .orElse("?");
            return Runtime.getRuntime().availableProcessors()
                    + " cores ("
                    + cpu
                    + "), "
                    + memory
                    + " RAM, Linux "
                    + System.getProperty("os.version")
                    + ", JDK "
                    + System.getProperty("java.version");
        }
    }
}
