package io.daskkubernetes.bench;

import io.daskkubernetes.adapt.AdaptiveLoop;
import io.daskkubernetes.adapt.AdaptiveRound;
import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.adapt.AdaptiveDecision;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5's benchmark: with {@code adapt(1, 6)} and distributed's defaults (1 s interval, wait
 * count 3), the seconds from a backlog appearing (60 tasks of 0.5 s submitted by a Python client)
 * to the scale-up request, and from the cluster going idle to the first scale-down and to the
 * return to the minimum.
 *
 * <p>Run: see bench/cluster/README.md.
 */
public final class AdaptiveReactionBenchmark {

    static final Path SPEC = BenchMachine.projectFile("examples/worker-spec.yml");
    static final Path SCRIPT = BenchMachine.resource("backlog_then_idle.py");

    record Reaction(long toScaleUp, long toFirstScaleDown, long toMinimum) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String loadBefore = BenchMachine.loadAverage();
        List<Reaction> reactions = new ArrayList<>();
        try (LocalKubernetes runtime = LocalKubernetes.start()) {
            for (int round = 1; round <= rounds; round++) {
                Reaction reaction = measure(runtime);
                reactions.add(reaction);
                System.out.printf("round %d: %s%n", round, reaction);
            }
        }
        String report = report(rounds, reactions, loadBefore, BenchMachine.loadAverage());
        System.out.println(report);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), report);
        }
        System.exit(0);
    }

    static Reaction measure(LocalKubernetes runtime) throws Exception {
        DaskConfig config = DaskConfig.load(ConfigSources.of(List.of(), Map.of()));
        try (KubeCluster cluster =
                KubeCluster.builder()
                        .kubernetesClient(runtime.client())
                        .config(config)
                        .namespace("default")
                        .workerTemplate(PodTemplateFiles.read(SPEC))
                        .start()) {
            AdaptiveOptions options = AdaptiveOptions.of(1, 6);
            AdaptiveLoop loop = cluster.adapt(options);
            ScaleUpBenchmark.awaitWorkersReach(cluster, 1);

            Process python =
                    new ProcessBuilder(
                                    "/usr/bin/python3",
                                    SCRIPT.toString(),
                                    cluster.schedulerAddress(),
                                    "60",
                                    "0.5")
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            long submitted;
            long done;
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    python.getInputStream(), StandardCharsets.UTF_8))) {
                submitted = Long.parseLong(out.readLine().split(" ")[1]);
                done = Long.parseLong(out.readLine().split(" ")[1]);
            } finally {
                python.destroy();
                python.waitFor(10, TimeUnit.SECONDS);
            }
            // Back at the minimum means the other workers' pods are gone from the API server, not
            // merely that the loop decided so: polled, since that is the outcome being timed.
            Instant deadline = Instant.now().plusSeconds(120);
            long backAtMinimum = -1;
            while (Instant.now().isBefore(deadline)) {
                if (workerPodsInApi(runtime, cluster) <= options.minimum()) {
                    backAtMinimum = System.currentTimeMillis() - done;
                    break;
                }
                Thread.sleep(50);
            }
            List<AdaptiveRound> rounds = loop.rounds();
            long scaleUp =
                    rounds.stream()
                            .filter(
                                    r ->
                                            r.decision() instanceof AdaptiveDecision.ScaleUp
                                                    && r.decidedAt().toEpochMilli() >= submitted
                                                    && r.plannedWorkers() >= 1)
                            .findFirst()
                            .map(r -> r.decidedAt().toEpochMilli() - submitted)
                            .orElse(-1L);
            List<AdaptiveRound> downs =
                    rounds.stream()
                            .filter(
                                    r ->
                                            r.decision() instanceof AdaptiveDecision.ScaleDown
                                                    && r.decidedAt().toEpochMilli() >= done)
                            .toList();
            long firstDown = downs.isEmpty() ? -1 : downs.get(0).decidedAt().toEpochMilli() - done;
            return new Reaction(scaleUp, firstDown, backAtMinimum);
        }
    }

    /** Worker pods the API server still has, Terminating ones included. */
    private static int workerPodsInApi(LocalKubernetes runtime, KubeCluster cluster) {
        return runtime.client()
                .pods()
                .inNamespace(cluster.namespace())
                .withLabel(DaskLabels.CLUSTER_NAME, cluster.name())
                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_WORKER)
                .list()
                .getItems()
                .size();
    }

    static String report(
            int rounds, List<Reaction> reactions, String loadBefore, String loadAfter) {
        List<Long> up = reactions.stream().map(Reaction::toScaleUp).toList();
        List<Long> firstDown = reactions.stream().map(Reaction::toFirstScaleDown).toList();
        List<Long> minimum = reactions.stream().map(Reaction::toMinimum).toList();
        return "## Adaptive scaling: reaction to a backlog and to idleness (bench/cluster)\n\n"
                + "Machine: "
                + BenchMachine.describe()
                + " Load average "
                + loadBefore
                + " before, "
                + loadAfter
                + " after. `adapt(1, 6)` with distributed's defaults (interval 1 s, wait count 3, target duration 5 s);\n"
                + "a Python client submits 60 tasks of 0.5 s to a cluster of 1 worker (examples/worker-spec.yml) on the"
                + " local runtime. "
                + rounds
                + " rounds; scale-up and first scale-down from the loop's own decision timestamps,"
                + " back at 1 worker when the other worker pods are gone from the API server."
                + " A round that missed an event within its 120 s is left out of that row's median"
                + " and counted in it.\n\n"
                + "| from | to | this project: median (min–max) | upstream operator, from its code |\n|---|---|---|---|\n"
                + "| backlog submitted | scale-up request | "
                + range(up)
                + " | up to 5 s (5 s timer), then a 15 s cooldown before the next change |\n"
                + "| last result returned (idle) | first scale-down | "
                + range(firstDown)
                + " | up to 5 s, if no cooldown is running |\n"
                + "| last result returned (idle) | back at 1 worker pod | "
                + range(minimum)
                + " | 6 → 1 in steps of at most 25 % (at least 1), 15 s cooldown between steps: 5 steps, at least 60 s |\n";
    }

    /** Median (min–max) of the rounds that saw the event; -1 marks a round that did not. */
    private static String range(List<Long> millis) {
        List<Long> seen = millis.stream().filter(m -> m >= 0).toList();
        String missed =
                seen.size() == millis.size()
                        ? ""
                        : " ("
                                + (millis.size() - seen.size())
                                + " of "
                                + millis.size()
                                + " rounds missed it)";
        if (seen.isEmpty()) {
            return "not seen" + missed;
        }
        return String.format(
                        "%.1f s (%.1f–%.1f s)",
                        BenchMachine.median(seen) / 1000.0,
                        seen.stream().min(Long::compare).orElseThrow() / 1000.0,
                        seen.stream().max(Long::compare).orElseThrow() / 1000.0)
                + missed;
    }
}
