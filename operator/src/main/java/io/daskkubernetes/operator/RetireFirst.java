package io.daskkubernetes.operator;

import io.daskkubernetes.model.WorkerPlan;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The annotation by which an autoscaler tells a worker group which workers (pod names) to retire
 * when it lowers the group's replicas: those the scheduler named round after round. The group's own
 * scale-down (retire, then delete exactly their pods) does the rest, so there is one scale-down
 * path; names of pods that have gone since are ignored.
 */
final class RetireFirst {

    static final String ANNOTATION = "kubernetes.dask.org/retire-first";

    private RetireFirst() {}

    /** The annotation's value for these pod names. */
    static String value(List<String> podNames) {
        return String.join(",", podNames);
    }

    /** The pod names the group's annotation asks to retire first; empty without one. */
    static Set<String> podNames(DaskWorkerGroup group) {
        Map<String, String> annotations = group.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The Dask addresses of the registered workers whose pods the annotation names. */
    static List<String> addresses(DaskWorkerGroup group, List<WorkerState> live) {
        Set<String> names = podNames(group);
        return live.stream()
                .filter(w -> w.registered() && names.contains(w.podName()))
                .map(WorkerState::daskAddress)
                .toList();
    }

    /**
     * The plan's pods whose worker never registered, to delete now: as many as the plan says, the
     * ones the annotation names first (none of them holds data, but the autoscaler counted its
     * rounds for those), then the plan's own choice.
     */
    static List<String> unregisteredToDelete(DaskWorkerGroup group, WorkerPlan plan) {
        int count = plan.unregisteredToDelete().size();
        Set<String> names = podNames(group);
        if (count == 0 || names.isEmpty()) {
            return plan.unregisteredToDelete();
        }
        List<String> chosen =
                new ArrayList<>(
                        plan.live().stream()
                                .filter(w -> !w.registered() && names.contains(w.podName()))
                                .map(WorkerState::podName)
                                .limit(count)
                                .toList());
        plan.unregisteredToDelete().stream()
                .filter(p -> !chosen.contains(p))
                .limit(count - chosen.size())
                .forEach(chosen::add);
        return chosen;
    }
}
