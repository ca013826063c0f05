package io.daskkubernetes.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Which worker pods go first when a cluster shrinks: pods whose Dask worker never registered
 * (pending, starting, crashed) cost nothing to remove; only the rest must be retired through the
 * scheduler, which alone knows which workers hold the least data.
 *
 * @param deleteAtOnce pods to delete now, without asking Dask
 * @param toRetire how many registered workers the scheduler must choose and retire
 */
record ScaleDownPlan(List<String> deleteAtOnce, int toRetire) {

    static ScaleDownPlan of(List<WorkerState> workers, int target) {
        int excess = workers.size() - target;
        if (excess <= 0) {
            return new ScaleDownPlan(List.of(), 0);
        }
        List<String> unregistered = new ArrayList<>();
        for (WorkerState worker : workers) {
            if (!worker.registered() && unregistered.size() < excess) {
                unregistered.add(worker.podName());
            }
        }
        return new ScaleDownPlan(List.copyOf(unregistered), excess - unregistered.size());
    }
}
