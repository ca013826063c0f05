package io.daskkubernetes.operator;

/**
 * Upstream's DaskAutoscaler rule (dask-kubernetes' operator controller, {@code
 * daskautoscaler_adapt}), restated from its code for the benchmark, since kopf cannot run here: a
 * kopf timer every 5 s; a tick inside the cooldown does nothing; otherwise the scheduler's adaptive
 * target is clamped to [minimum, maximum], a shrink is limited to a quarter of the current replicas
 * (at least 1) per tick, and any change of the replicas, up or down, starts a 15 s cooldown.
 *
 * <p>Times are in seconds from the moment the first tick may come ({@code phase} is where the 5 s
 * ticks fall relative to the scenario). kopf measures a timer's interval from the end of the
 * previous run, so the third tick after a change comes a few milliseconds after the cooldown ends
 * and acts: one step per 15 s, the case most favourable to upstream.
 */
final class UpstreamAutoscalerModel {

    static final double TICK = 5.0;
    static final double COOLDOWN = 15.0;
    static final double STEP_FRACTION = 0.25;

    private UpstreamAutoscalerModel() {}

    /** When the replicas first change for a backlog that starts at 0, ticks at {@code phase}+5k. */
    static double scaleUpDecision(double phase) {
        return phase;
    }

    /**
     * When the replicas reach {@code minimum}, going down from {@code from}, for work that ends at
     * {@code workDone}, after a scale-up at {@code lastChange} (its cooldown counts).
     */
    static double scaleDownToMinimum(
            int from, int minimum, double workDone, double lastChange, double phase) {
        double tick = phase;
        double cooldownUntil = lastChange + COOLDOWN;
        int replicas = from;
        while (replicas > minimum) {
            while (tick < workDone || tick < cooldownUntil) {
                tick += TICK;
            }
            replicas = Math.max(minimum, replicas - step(replicas));
            cooldownUntil = tick + COOLDOWN;
            if (replicas == minimum) {
                return tick;
            }
            tick += TICK;
        }
        return workDone;
    }

    /** How many steps down from {@code from} to {@code minimum}. */
    static int steps(int from, int minimum) {
        int steps = 0;
        for (int r = from; r > minimum; r -= step(r)) {
            steps++;
        }
        return steps;
    }

    private static int step(int replicas) {
        return Math.max(1, (int) (replicas * STEP_FRACTION));
    }
}
