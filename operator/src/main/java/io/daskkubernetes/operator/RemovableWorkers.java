package io.daskkubernetes.operator;

import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.model.adapt.AdaptivePolicy;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a worker group's workers (pod names) would go to bring it down to a target, in the order
 * the group's own scale-down takes them: pods whose worker never registered (pending ones first),
 * then the workers the scheduler names ({@code workers_to_close}). Asked only when an autoscaler
 * round wants fewer workers, since it costs a pod list and a scheduler call.
 */
final class RemovableWorkers implements AdaptivePolicy.RemovalCandidates {

    private static final Logger LOG = LoggerFactory.getLogger(RemovableWorkers.class);

    private final Supplier<List<Pod>> groupPods;
    private final String namespace;
    private final String group;
    private final int replicas;
    private final SchedulerClient scheduler;

    /**
     * @param groupPods the group's worker pods (from a cache)
     */
    RemovableWorkers(
            Supplier<List<Pod>> groupPods,
            String namespace,
            String group,
            int replicas,
            SchedulerClient scheduler) {
        this.groupPods = groupPods;
        this.namespace = namespace;
        this.group = group;
        this.replicas = replicas;
        this.scheduler = scheduler;
    }

    @Override
    public List<String> toReach(int target) {
        List<Pod> pods =
                groupPods.get().stream()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .toList();
        List<DaskWorker> registered = scheduler.workers();
        List<WorkerState> live =
                WorkerObservation.states(pods, registered).stream()
                        .filter(w -> !w.ended())
                        .toList();
        // The scheduler answers for every group of the cluster: its whole order of preference is
        // asked, and this group's workers are taken from it.
        List<String> chosen =
                choose(live, replicas - target, n -> scheduler.workersToClose(registered.size()));
        LOG.debug("{}/{}: to reach {} workers, {} would go", namespace, group, target, chosen);
        return chosen;
    }

    /**
     * At most {@code count} of {@code live}: unregistered pods (pending first), then the registered
     * workers {@code workersToClose} (asked for how many are still needed) names, in its order;
     * addresses that are not in {@code live} (other groups' workers) are skipped.
     */
    static List<String> choose(
            List<WorkerState> live, int count, Function<Integer, List<String>> workersToClose) {
        if (count <= 0) {
            return List.of();
        }
        List<String> chosen =
                new ArrayList<>(
                        live.stream()
                                .filter(w -> !w.registered())
                                .sorted(Comparator.comparing(w -> !"Pending".equals(w.phase())))
                                .limit(count)
                                .map(WorkerState::podName)
                                .toList());
        int rest = count - chosen.size();
        if (rest > 0) {
            Map<String, String> podByAddress =
                    live.stream()
                            .filter(WorkerState::registered)
                            .collect(
                                    Collectors.toMap(
                                            WorkerState::daskAddress,
                                            WorkerState::podName,
                                            (a, b) -> a));
            workersToClose.apply(rest).stream()
                    .map(podByAddress::get)
                    .filter(p -> p != null)
                    .distinct()
                    .limit(rest)
                    .forEach(chosen::add);
        }
        return chosen;
    }
}
