package io.daskkubernetes.scheduler;

import java.util.Map;

/**
 * One Dask worker as the scheduler sees it (a worker's entry in the scheduler's {@code identity}).
 * Fields the scheduler did not report (the HTTP route {@code /api/v1/get_workers} gives only
 * address and name) are {@code null}, 0 or empty.
 *
 * @param address the worker's comm address, e.g. {@code tcp://10.244.0.7:40123}; the key Dask uses
 *     everywhere
 * @param name the name given with {@code --name} (our pod name), or the address if none was given
 * @param host the host the worker listens on
 * @param nanny the address of its nanny, or {@code null} when it runs without one
 * @param nthreads threads of the worker
 * @param memoryLimit bytes the worker may use, 0 for no limit
 * @param status Dask's worker status, e.g. {@code running}, {@code closing_gracefully}
 * @param managedBytes bytes of results the worker holds, from its last heartbeat
 * @param taskCounts tasks on the worker by state ({@code executing}, {@code memory}, {@code
 *     ready}...), from its last heartbeat
 */
public record DaskWorker(
        String address,
        String name,
        String host,
        String nanny,
        int nthreads,
        long memoryLimit,
        String status,
        long managedBytes,
        Map<String, Integer> taskCounts) {

    public DaskWorker {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a Dask worker needs an address");
        }
        taskCounts = taskCounts == null ? Map.of() : Map.copyOf(taskCounts);
    }

    /** A worker known only by address and name. */
    public static DaskWorker named(String address, String name) {
        return new DaskWorker(address, name, null, null, 0, 0, null, 0, Map.of());
    }

    /** Results held in the worker's memory. */
    public int tasksStored() {
        return taskCounts.getOrDefault("memory", 0);
    }

    /** Tasks running now. */
    public int tasksExecuting() {
        return taskCounts.getOrDefault("executing", 0) + taskCounts.getOrDefault("long-running", 0);
    }
}
