package io.daskkubernetes.adapt;

import io.daskkubernetes.model.adapt.AdaptiveDecision;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.model.adapt.AdaptivePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AdaptivePolicy} every interval against a cluster. A round that fails (the scheduler
 * briefly unreachable, an API error) is logged and changes nothing; the next round tries again.
 */
public final class AdaptiveLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdaptiveLoop.class);

    private final AdaptiveOptions options;
    private final AdaptiveCluster cluster;
    private final AdaptivePolicy policy;
    private final ScheduledExecutorService timer;
    private final List<AdaptiveRound> rounds = new ArrayList<>();
    private long roundNumber;
    private int failedRoundsInARow;

    private AdaptiveLoop(AdaptiveOptions options, AdaptiveCluster cluster, String threadName) {
        this.options = options;
        this.cluster = cluster;
        this.policy = new AdaptivePolicy(options);
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, threadName);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    public static AdaptiveLoop start(
            AdaptiveOptions options, AdaptiveCluster cluster, String clusterName) {
        AdaptiveLoop loop = new AdaptiveLoop(options, cluster, "dask-adapt-" + clusterName);
        long period = options.interval().toMillis();
        loop.timer.scheduleWithFixedDelay(loop::round, 0, period, TimeUnit.MILLISECONDS);
        log.info(
                "Adapting {} between {} and {} workers",
                clusterName,
                options.minimum(),
                options.maximum());
        return loop;
    }

    public AdaptiveOptions options() {
        return options;
    }

    /** Every scale-up and scale-down this loop has made, in order. */
    public synchronized List<AdaptiveDecision> scaleDecisions() {
        return rounds.stream().filter(AdaptiveRound::scaled).map(AdaptiveRound::decision).toList();
    }

    /** The rounds that reached a decision (the most recent {@value #ROUNDS_KEPT}), in order. */
    public synchronized List<AdaptiveRound> rounds() {
        return List.copyOf(rounds);
    }

    static final int ROUNDS_KEPT = 10_000;

    void round() {
        long number;
        synchronized (this) {
            number = ++roundNumber;
        }
        try {
            int planned = cluster.plannedWorkers();
            int target = cluster.schedulerTarget(options.targetDuration());
            AdaptiveDecision decision = policy.decide(target, planned, cluster::workersToRemove);
            record(new AdaptiveRound(number, Instant.now(), target, planned, decision));
            apply(decision, target, planned);
            failedRoundsInARow = 0;
        } catch (RuntimeException e) {
            failedRoundsInARow++;
            // The first failure of a run is worth a warning; a scheduler that stays away is logged
            // once a minute.
            if (failedRoundsInARow == 1 || failedRoundsInARow % 60 == 0) {
                log.warn(
                        "Adaptive round failed ({} in a row); keeping the current workers: {}",
                        failedRoundsInARow,
                        e.toString());
            } else {
                log.debug("Adaptive round failed", e);
            }
        }
    }

    private void apply(AdaptiveDecision decision, int schedulerTarget, int planned) {
        if (decision instanceof AdaptiveDecision.ScaleUp up) {
            log.info(
                    "Adaptive: scheduler wants {}, scaling up from {} to {}",
                    schedulerTarget,
                    planned,
                    up.workers());
            cluster.scaleUpTo(up.workers());
        } else if (decision instanceof AdaptiveDecision.ScaleDown down) {
            log.info(
                    "Adaptive: scheduler wants {}, removing {} of {}: {}",
                    schedulerTarget,
                    down.workers().size(),
                    planned,
                    down.workers());
            cluster.removeWorkers(down.workers());
        }
    }

    private synchronized void record(AdaptiveRound round) {
        if (rounds.size() == ROUNDS_KEPT) {
            rounds.remove(0);
        }
        rounds.add(round);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Adaptive loop did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
