package io.daskkubernetes.cluster;

import io.daskkubernetes.model.DesiredWorkers;
import io.daskkubernetes.model.WorkerPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales a cluster so that concurrent scalers agree: each request is first written to the cluster's
 * {@link DesiredWorkerCount}, then the pods are moved toward the <em>stored</em> count, read again
 * after every step. When another scaler (another shell, another thread) records a newer request
 * meanwhile, this one converges to that value instead of its own: the last request wins, whatever
 * order the scalers finish in.
 *
 * <p>The steps themselves are {@link WorkerPool}'s, so scale-down stays identity-aware: the
 * scheduler names the workers to retire and their pods go only after they are retired.
 */
final class ConvergentScaler {

    private static final Logger log = LoggerFactory.getLogger(ConvergentScaler.class);

    /** How long to keep moving toward the stored count before reporting that it was not reached. */
    static final Duration CONVERGENCE_LIMIT = Duration.ofSeconds(60);

    /**
     * Rounds in a row that change nothing before giving up: the scheduler may name fewer workers to
     * retire than asked (it keeps enough memory for the data it holds).
     */
    private static final int ROUNDS_WITHOUT_PROGRESS = 3;

    private final DesiredWorkerCount desired;
    private final WorkerPool pool;
    private final OptionalInt countMax;
    private final String clusterName;

    ConvergentScaler(
            DesiredWorkerCount desired, WorkerPool pool, OptionalInt countMax, String clusterName) {
        this.desired = desired;
        this.pool = pool;
        this.countMax = countMax;
        this.clusterName = clusterName;
    }

    /**
     * Records a request for {@code workers} (clamped to {@code kubernetes.count.max}, with a
     * warning) made at {@code requestedAt}, then converges to the stored count.
     */
    Result scale(int workers, Instant requestedAt) {
        WorkerPlan clamp = WorkerPlan.toReach(List.of(), workers, countMax);
        clamp.clampWarning().ifPresent(log::warn);
        desired.record(new DesiredWorkers(clamp.target(), requestedAt));
        return new Result(clamp.target(), converge());
    }

    /**
     * Moves the pods toward the stored count, reading it again after each step, until they make it;
     * returns the count reached. Without a stored count, changes nothing.
     */
    int converge() {
        Instant deadline = Instant.now().plus(CONVERGENCE_LIMIT);
        int idleRounds = 0;
        int before = -1;
        while (true) {
            OptionalInt stored = storedCount();
            if (stored.isEmpty()) {
                return pool.liveCount();
            }
            int target = stored.getAsInt();
            if (pool.reached(target)) {
                return target;
            }
            int live = pool.liveCount();
            idleRounds = live == before ? idleRounds + 1 : 0;
            before = live;
            if (idleRounds >= ROUNDS_WITHOUT_PROGRESS) {
                if (live > target) {
                    log.warn(
                            "{} has {} workers, not {}: the scheduler would not retire more"
                                    + " (it keeps enough memory for the data they hold)",
                            clusterName,
                            live,
                            target);
                    return live;
                }
                // Growing, but the new pods do not stay up (a worker that fails at once): the
                // target stands, and waiting for the workers reports why they fail.
                log.debug("{}: {} of {} worker pods stay up", clusterName, live, target);
                return target;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ClusterException(
                        "cluster "
                                + clusterName
                                + " did not reach "
                                + target
                                + " workers within "
                                + CONVERGENCE_LIMIT.toSeconds()
                                + " s (it has "
                                + live
                                + "); see 'dask-kubernetes list' and the pods' events");
            }
            pool.scale(target);
            pauseBetweenRounds();
        }
    }

    private OptionalInt storedCount() {
        return desired.read().map(d -> OptionalInt.of(d.workers())).orElseGet(OptionalInt::empty);
    }

    /**
     * Lets another scaler's writes land before looking again; the jitter keeps two scalers that act
     * in step from overshooting in step forever.
     */
    private static void pauseBetweenRounds() {
        try {
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while scaling", e);
        }
    }

    /**
     * @param requested the count this request asked for, after {@code kubernetes.count.max}
     * @param reached the count the pods were brought to: the stored one, which a later request may
     *     have changed
     */
    record Result(int requested, int reached) {

        boolean superseded() {
            return requested != reached;
        }
    }
}
