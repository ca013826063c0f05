package io.daskkubernetes.scheduler;

import java.util.List;
import java.util.Map;

/**
 * What a Dask scheduler says about itself ({@code identity}).
 *
 * @param address its comm address, e.g. {@code tcp://10.244.0.5:8786}
 * @param id its unique id, e.g. {@code Scheduler-0b1c...}
 * @param services the ports of its services by name, e.g. {@code dashboard -> 8787}
 * @param workers its workers, in the scheduler's order
 */
public record SchedulerInfo(
        String address, String id, Map<String, Integer> services, List<DaskWorker> workers) {

    public SchedulerInfo {
        services = services == null ? Map.of() : Map.copyOf(services);
        workers = workers == null ? List.of() : List.copyOf(workers);
    }
}
