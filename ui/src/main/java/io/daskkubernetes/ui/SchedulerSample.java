package io.daskkubernetes.ui;

import io.daskkubernetes.scheduler.DaskWorker;
import java.time.Instant;
import java.util.List;

/**
 * What one look at a scheduler found.
 *
 * @param at when it was taken
 * @param address the scheduler's address used from here
 * @param problem why the scheduler could not be asked, or null when it answered
 * @param workers its registered workers (empty when it did not answer)
 * @param adaptiveTarget how many workers it would like for its load, or null when unknown
 * @param backlog tasks it holds that are not finished yet, or null when unknown (Dask's TCP
 *     protocol, used when the HTTP API is off, does not tell)
 * @param reachedBy how this process reaches the scheduler ("cluster IP", "port-forward",
 *     "LoadBalancer ingress", "client's process"), or null when not known
 */
public record SchedulerSample(
        Instant at,
        String address,
        String problem,
        List<DaskWorker> workers,
        Integer adaptiveTarget,
        Integer backlog,
        String reachedBy) {

    public SchedulerSample(
            Instant at,
            String address,
            String problem,
            List<DaskWorker> workers,
            Integer adaptiveTarget,
            Integer backlog) {
        this(at, address, problem, workers, adaptiveTarget, backlog, null);
    }

    public SchedulerSample {
        workers = workers == null ? List.of() : List.copyOf(workers);
    }

    static SchedulerSample unreachable(Instant at, String address, String problem) {
        return unreachable(at, address, problem, null);
    }

    static SchedulerSample unreachable(
            Instant at, String address, String problem, String reachedBy) {
        return new SchedulerSample(at, address, problem, List.of(), null, null, reachedBy);
    }

    public boolean answered() {
        return problem == null;
    }
}
