package io.daskkubernetes.operator;

import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.scheduler.DaskWorker;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pairs a group's pods with the Dask workers the scheduler has: by the worker's name (the pod's
 * {@code DASK_WORKER_NAME}, the pod name unless the user set it), else by the worker's host when
 * that IP is the pod's alone (a group whose pods all carry the same user-set name).
 */
final class WorkerObservation {

    private WorkerObservation() {}

    static List<WorkerState> states(List<Pod> pods, List<DaskWorker> registered) {
        Map<String, String> addressByName = new HashMap<>();
        Map<String, String> addressByHost = new HashMap<>();
        for (DaskWorker worker : registered) {
            if (worker.name() != null) {
                addressByName.put(worker.name(), worker.address());
            }
            addressByHost.put(hostOf(worker.address()), worker.address());
        }
        Map<String, Long> podsPerName =
                pods.stream()
                        .map(p -> WorkerPods.daskWorkerName(p).orElse(p.getMetadata().getName()))
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> podsPerIp =
                pods.stream()
                        .map(WorkerObservation::podIp)
                        .filter(ip -> ip != null)
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<WorkerState> states = new ArrayList<>();
        for (Pod pod : pods) {
            String name = WorkerPods.daskWorkerName(pod).orElse(pod.getMetadata().getName());
            String ip = podIp(pod);
            String address = null;
            if (podsPerName.get(name) == 1) {
                address = addressByName.get(name);
            }
            if (address == null && ip != null && podsPerIp.get(ip) == 1) {
                address = addressByHost.get(ip);
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            states.add(new WorkerState(pod.getMetadata().getName(), phase, address));
        }
        return states;
    }

    private static String podIp(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }

    /** {@code tcp://10.244.0.7:40123} → {@code 10.244.0.7}. */
    static String hostOf(String address) {
        String rest =
                address.contains("://") ? address.substring(address.indexOf("://") + 3) : address;
        int colon = rest.lastIndexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }
}
