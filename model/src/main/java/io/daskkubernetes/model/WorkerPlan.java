package io.daskkubernetes.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What to do to the worker pods of a cluster to reach a number of workers, decided from what was
 * observed and nothing else (KubeRay's rule: the exact pods are named, nothing goes at random).
 *
 * <p>Pods that have ended are dropped and no longer count. Growing creates the missing pods.
 * Shrinking removes pods whose Dask worker never registered first (pending ones before started
 * ones): they hold no data. Only then are registered workers removed, and only those the scheduler
 * names, through {@link #retire}: a running worker's pod is never deleted before the worker is
 * retired.
 *
 * @param target the number of workers aimed at, after {@code kubernetes.count.max}
 * @param toCreate how many new worker pods to create
 * @param endedPods pods that have ended (Succeeded, Failed): delete them, they no longer count
 * @param unregisteredToDelete pods whose worker never registered, to delete now
 * @param workersToChoose how many registered workers the scheduler must choose to retire
 * @param clampWarning why the target is below what was asked, when {@code count.max} clamped it
 * @param live the pods that still count as workers, from which {@link #retire} maps the scheduler's
 *     choice to pods
 */
public record WorkerPlan(
        int target,
        int toCreate,
        List<String> endedPods,
        List<String> unregisteredToDelete,
        int workersToChoose,
        Optional<String> clampWarning,
        List<WorkerState> live) {

    public WorkerPlan {
        endedPods = List.copyOf(endedPods);
        unregisteredToDelete = List.copyOf(unregisteredToDelete);
        live = List.copyOf(live);
    }

    /**
     * The plan to reach {@code desired} workers from {@code observed} pods (pods being deleted
     * excluded by the caller), with at most {@code max} workers.
     */
    public static WorkerPlan toReach(List<WorkerState> observed, int desired, OptionalInt max) {
        if (desired < 0) {
            throw new IllegalArgumentException("scale: " + desired + " workers; use 0 or more");
        }
        int target = desired;
        Optional<String> warning = Optional.empty();
        if (max.isPresent() && desired > max.getAsInt()) {
            target = max.getAsInt();
            warning =
                    Optional.of(
                            "Asked for "
                                    + desired
                                    + " workers, but kubernetes.count.max is "
                                    + target
                                    + "; scaling to "
                                    + target);
        }
        List<String> ended = new ArrayList<>();
        List<WorkerState> live = new ArrayList<>();
        for (WorkerState pod : observed) {
            if (pod.ended()) {
                ended.add(pod.podName());
            } else {
                live.add(pod);
            }
        }
        int excess = live.size() - target;
        List<String> unregistered =
                live.stream()
                        .filter(pod -> !pod.registered())
                        .sorted(Comparator.comparing(pod -> !"Pending".equals(pod.phase())))
                        .limit(Math.max(0, excess))
                        .map(WorkerState::podName)
                        .toList();
        return new WorkerPlan(
                target,
                Math.max(0, -excess),
                ended,
                unregistered,
                Math.max(0, excess - unregistered.size()),
                warning,
                live);
    }

    /**
     * The plan to remove exactly the named workers (pod names, Dask worker names or Dask
     * addresses); unknown names are an error that lists the workers there are.
     */
    public static Removal removing(List<WorkerState> live, Collection<String> names) {
        Set<String> unknown = new LinkedHashSet<>(names);
        List<WorkerState> chosen = new ArrayList<>();
        for (WorkerState worker : live) {
            boolean named =
                    names.contains(worker.podName())
                            || (worker.registered() && names.contains(worker.daskAddress()));
            if (named) {
                chosen.add(worker);
                unknown.remove(worker.podName());
                unknown.remove(worker.daskAddress());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "no worker is called "
                            + unknown
                            + "; workers are "
                            + live.stream().map(WorkerState::podName).toList());
        }
        return Removal.of(chosen);
    }

    /**
     * What to do once the scheduler has named the workers it would close ({@code
     * workers_to_close}), in its order of preference: retire at most {@link #workersToChoose} of
     * them, then delete their pods. Addresses of workers this plan does not know are ignored: they
     * may have gone since the pods were observed.
     */
    public Removal retire(List<String> chosenByScheduler) {
        Map<String, WorkerState> byAddress = new HashMap<>();
        for (WorkerState worker : live) {
            if (worker.registered()) {
                byAddress.put(worker.daskAddress(), worker);
            }
        }
        return Removal.of(
                chosenByScheduler.stream()
                        .map(byAddress::get)
                        .filter(Objects::nonNull)
                        .distinct()
                        .limit(workersToChoose)
                        .toList());
    }

    /** Every pod to delete without asking the scheduler: ended ones and unregistered ones. */
    public List<String> podsToDeleteNow() {
        List<String> pods = new ArrayList<>(endedPods);
        pods.addAll(unregisteredToDelete);
        return pods;
    }

    /**
     * Workers to remove: retire {@code addresses} through the scheduler first, then delete {@code
     * pods} (those of the retired workers and of workers that never registered).
     */
    public record Removal(List<String> addressesToRetire, List<String> podsToDelete) {

        public Removal {
            addressesToRetire = List.copyOf(addressesToRetire);
            podsToDelete = List.copyOf(podsToDelete);
        }

        static Removal of(List<WorkerState> workers) {
            return new Removal(
                    workers.stream()
                            .filter(WorkerState::registered)
                            .map(WorkerState::daskAddress)
                            .toList(),
                    workers.stream().map(WorkerState::podName).toList());
        }
    }
}
