package io.daskkubernetes.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the identity maps of distributed's {@code Scheduler.identity()} and {@code
 * WorkerState.identity()}, as they come from msgpack (TCP) or JSON (HTTP {@code
 * /json/identity.json}).
 */
final class IdentityParser {

    private IdentityParser() {}

    static SchedulerInfo schedulerInfo(String op, Object reply) {
        Map<?, ?> identity = DaskReplies.asMap(op, reply, "the scheduler's identity map");
        if (!identity.containsKey("workers") || !identity.containsKey("id")) {
            throw DaskReplies.unexpected(
                    op, "the scheduler's identity map with 'id' and 'workers'", reply);
        }
        Map<String, Integer> services = new LinkedHashMap<>();
        if (identity.get("services") instanceof Map<?, ?> map) {
            map.forEach(
                    (name, port) -> {
                        if (port instanceof Number number) {
                            services.put(String.valueOf(name), number.intValue());
                        }
                    });
        }
        List<DaskWorker> workers =
                new ArrayList<>(workersByAddress(op, identity.get("workers")).values());
        return new SchedulerInfo(
                text(identity.get("address")), text(identity.get("id")), services, workers);
    }

    /**
     * {@code {address: worker identity}}, as in identity's "workers" and in retire_workers' reply.
     */
    static Map<String, DaskWorker> workersByAddress(String op, Object workers) {
        Map<?, ?> map =
                DaskReplies.asMap(op, workers, "a map of worker address to worker identity");
        Map<String, DaskWorker> byAddress = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String address)
                    || !(entry.getValue() instanceof Map<?, ?> identity)) {
                throw DaskReplies.unexpected(
                        op, "a map of worker address to worker identity", workers);
            }
            byAddress.put(address, worker(address, identity));
        }
        return byAddress;
    }

    static DaskWorker worker(String address, Map<?, ?> identity) {
        Map<?, ?> metrics = identity.get("metrics") instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Integer> taskCounts = new LinkedHashMap<>();
        if (metrics.get("task_counts") instanceof Map<?, ?> counts) {
            counts.forEach(
                    (state, count) -> {
                        if (count instanceof Number number) {
                            taskCounts.put(String.valueOf(state), number.intValue());
                        }
                    });
        }
        return new DaskWorker(
                address,
                identity.get("name") == null ? address : String.valueOf(identity.get("name")),
                text(identity.get("host")),
                text(identity.get("nanny")),
                (int) number(identity.get("nthreads")),
                number(identity.get("memory_limit")),
                text(identity.get("status")),
                number(metrics.get("managed_bytes")),
                taskCounts);
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }
}
