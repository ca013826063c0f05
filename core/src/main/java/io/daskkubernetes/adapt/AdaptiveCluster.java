package io.daskkubernetes.adapt;

import java.time.Duration;
import java.util.List;

/**
 * What adaptive scaling needs from a cluster: how big it is, what Dask wants, and the means to
 * change it.
 */
public interface AdaptiveCluster {

    /**
     * The scheduler's {@code adaptive_target}: how many workers would finish the backlog in {@code
     * targetDuration}.
     */
    int schedulerTarget(Duration targetDuration);

    /** Worker pods that exist or are coming; ended pods do not count. */
    int plannedWorkers();

    /**
     * The workers (pod names) that would go to reach {@code target}: unregistered pods first, then
     * the scheduler's choice.
     */
    List<String> workersToRemove(int target);

    void scaleUpTo(int workers);

    /** Retires these workers through the scheduler, then deletes their pods. */
    void removeWorkers(List<String> podNames);
}
