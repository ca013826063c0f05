package io.daskkubernetes.operator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's autoscaler benchmark (runs only with {@code -Dbench=true}; see
 * bench/operator/README.md): ours measured on the local runtime with real Dask, upstream's computed
 * by {@link UpstreamAutoscalerModel} from its rule (kopf cannot run here) on the same scenario: a
 * DaskAutoscaler {min 1, max 5} on simplecluster.yaml idle at 1 worker, a backlog of 60 tasks of
 * 0.5 s, then idle. Upstream's figures are its decisions (the group's replicas), compared with
 * ours.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class AutoscalerBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final int TASKS = Integer.getInteger("bench.tasks", 60);
    private static final Duration TASK = Duration.ofMillis(Long.getLong("bench.taskMillis", 500));
    private static final Path RESULTS = Path.of("..", "bench", "RESULTS.md");

    @Test
    void run(@TempDir Path dir) throws Exception {
        String loadBefore = OperatorBenchmark.loadAverage();
        List<AutoscaledBacklog.Reaction> rounds = new ArrayList<>();
        try (OperatorOnLocalRuntime runtime =
                        OperatorOnLocalRuntime.start(
                                OperatorSettings.watching(Set.of()).installingCrds(true));
                AutoscaledBacklog backlog = AutoscaledBacklog.start(runtime, dir)) {
            for (int round = 1; round <= ROUNDS; round++) {
                AutoscaledBacklog.Reaction reaction = backlog.run(TASKS, TASK);
                if (!reaction.check().path("correct").asBoolean()) {
                    throw new AssertionError("wrong results: " + reaction.check());
                }
                rounds.add(reaction);
            }
        }
        String loadAfter = OperatorBenchmark.loadAverage();

        // upstream on the same scenario: its ticks fall anywhere in a 5 s period
        List<Double> upstreamUp = new ArrayList<>();
        List<Double> upstreamDown = new ArrayList<>();
        for (AutoscaledBacklog.Reaction r : rounds) {
            for (double phase = 0; phase < UpstreamAutoscalerModel.TICK; phase += 0.1) {
                upstreamUp.add(UpstreamAutoscalerModel.scaleUpDecision(phase));
                upstreamDown.add(
                        UpstreamAutoscalerModel.scaleDownToMinimum(
                                        AutoscaledBacklog.MAXIMUM,
                                        AutoscaledBacklog.MINIMUM,
                                        r.workDone(),
                                        phase,
                                        phase)
                                - r.workDone());
            }
        }
        int waitCount = DaskAutoscalerReconciler.DEFAULT_TIMING.waitCount();
        double interval = DaskAutoscalerReconciler.DEFAULT_TIMING.interval().toMillis() / 1000.0;
        StringBuilder report = new StringBuilder();
        report.append(
                        "## Operator: DaskAutoscaler reaction, ours measured beside upstream's rule"
                                + " (bench/operator)\n\n")
                .append("Machine: ")
                .append(OperatorBenchmark.machine())
                .append(" Load average ")
                .append(loadBefore)
                .append(" before, ")
                .append(loadAfter)
                .append(" after. Local runtime and operator in this JVM. Scenario: upstream's")
                .append(" simplecluster.yaml with a DaskAutoscaler {min 1, max 5}, idle at 1")
                .append(" worker; a Python client submits ")
                .append(TASKS)
                .append(" tasks of ")
                .append(TASK.toMillis())
                .append(" ms and keeps their results; then idle. ")
                .append(rounds.size())
                .append(" rounds. Upstream: computed from its rule (tick 5 s, cooldown 15 s")
                .append(" after any change, a shrink of at most 25 % per tick) over tick phases")
                .append(" 0–5 s, with the work ending when it ended here.\n\n")
                .append("| what | ours (measured), median (min–max) | upstream (its rule) |\n")
                .append("|---|---|---|\n")
                .append(
                        row(
                                "backlog → group replicas raised (decision)",
                                rounds,
                                AutoscaledBacklog.Reaction::replicasRaised,
                                spread(upstreamUp)))
                .append(
                        row(
                                "backlog → a second Dask worker registered",
                                rounds,
                                AutoscaledBacklog.Reaction::secondWorkerRegistered,
                                "decision + the same worker start"))
                .append(
                        row(
                                "backlog → all " + TASKS + " results in memory",
                                rounds,
                                AutoscaledBacklog.Reaction::workDone,
                                "—"))
                .append(
                        row(
                                "work done → group replicas back to 1 (decision)",
                                rounds,
                                AutoscaledBacklog.Reaction::replicasBackToMinimum,
                                spread(upstreamDown)
                                        + ", "
                                        + UpstreamAutoscalerModel.steps(
                                                AutoscaledBacklog.MAXIMUM,
                                                AutoscaledBacklog.MINIMUM)
                                        + " steps"))
                .append(
                        row(
                                "work done → 1 worker registered and 1 pod left",
                                rounds,
                                AutoscaledBacklog.Reaction::workersBackToMinimum,
                                "decision + the same retire and pod stop"))
                .append(
                        String.format(
                                "| a lull of L s in steady load | no change unless it lasts"
                                        + " %d rounds (%.0f s) | shrinks by 25 %% if a tick falls"
                                        + " in it (probability L/5), then cannot grow back for"
                                        + " 15 s |%n",
                                waitCount, waitCount * interval));
        System.out.println(report);
        Files.writeString(
                RESULTS, "\n" + report, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String row(
            String what,
            List<AutoscaledBacklog.Reaction> rounds,
            ToDoubleFunction<AutoscaledBacklog.Reaction> figure,
            String upstream) {
        List<Double> values = rounds.stream().map(figure::applyAsDouble).toList();
        return String.format("| %s | %s | %s |%n", what, spread(values), upstream);
    }

    /** "2.10 s (1.90–2.40 s)": the median, min and max. */
    private static String spread(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(
                "%.2f s (%.2f–%.2f s)",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
