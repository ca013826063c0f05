package io.daskkubernetes.cluster;

import io.daskkubernetes.adapt.AdaptiveCluster;
import io.daskkubernetes.model.DesiredWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The adaptive loop's view of a cluster, which records each of its decisions as the cluster's
 * desired worker count before carrying it out, like every other scaler: the {@code cluster} command
 * then replaces lost workers up to what the loop last chose, not to a stale count.
 */
final class RecordingAdaptiveCluster implements AdaptiveCluster {

    private final WorkerPool pool;
    private final DesiredWorkerCount desired;
    private final ConvergentScaler scaler;

    RecordingAdaptiveCluster(WorkerPool pool, DesiredWorkerCount desired, ConvergentScaler scaler) {
        this.pool = pool;
        this.desired = desired;
        this.scaler = scaler;
    }

    @Override
    public int schedulerTarget(Duration targetDuration) {
        return pool.schedulerTarget(targetDuration);
    }

    @Override
    public int plannedWorkers() {
        return pool.plannedWorkers();
    }

    @Override
    public List<String> workersToRemove(int target) {
        return pool.workersToRemove(target);
    }

    @Override
    public void scaleUpTo(int workers) {
        scaler.scale(Math.max(workers, pool.liveCount()), Instant.now());
    }

    @Override
    public void removeWorkers(List<String> podNames) {
        // The exact workers the scheduler named go; the count they leave is what is wanted now.
        desired.record(
                new DesiredWorkers(Math.max(0, pool.liveCount() - podNames.size()), Instant.now()));
        pool.removeWorkers(podNames);
    }
}
