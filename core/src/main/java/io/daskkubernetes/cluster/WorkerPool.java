package io.daskkubernetes.cluster;

import io.daskkubernetes.adapt.AdaptiveCluster;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.WorkerPlan;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pods of one cluster, kept in step with its Dask workers: the part that observes and
 * carries out a {@link WorkerPlan}. What to create, retire and delete is decided by the plan;
 * observing never changes anything.
 */
final class WorkerPool implements AdaptiveCluster {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final KubernetesClient client;
    private final ClusterModel model;
    private final Supplier<SchedulerClient> scheduler;
    private final OptionalInt countMax;
    private final ExecutorService creators;

    WorkerPool(
            KubernetesClient client,
            ClusterModel model,
            Supplier<SchedulerClient> scheduler,
            OptionalInt countMax,
            ExecutorService creators) {
        this.client = client;
        this.model = model;
        this.scheduler = scheduler;
        this.countMax = countMax;
        this.creators = creators;
    }

    /**
     * Every worker pod not being deleted, ended ones included, joined with its Dask worker. Reads
     * only.
     */
    List<WorkerState> observe() {
        return join(listPods());
    }

    /** These worker pods, not being deleted, joined with their Dask workers. */
    List<WorkerState> join(List<Pod> pods) {
        Map<String, String> addressByName = new HashMap<>();
        for (DaskWorker worker : scheduler.get().workers()) {
            addressByName.put(worker.name(), worker.address());
        }
        List<WorkerState> states = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String name = pod.getMetadata().getName();
            String phase =
                    pod.getStatus() == null || pod.getStatus().getPhase() == null
                            ? "Pending"
                            : pod.getStatus().getPhase();
            states.add(new WorkerState(name, phase, addressByName.get(name)));
        }
        return states;
    }

    /** The workers that count: pods that have not ended. Reads only. */
    List<WorkerState> states() {
        return observe().stream().filter(state -> !state.ended()).toList();
    }

    /**
     * Grows or shrinks to {@code workers}, at most {@code kubernetes.count.max}; returns the number
     * aimed at.
     */
    synchronized int scale(int workers) {
        WorkerPlan plan = WorkerPlan.toReach(observe(), workers, countMax);
        plan.clampWarning().ifPresent(log::warn);
        deletePods(plan.podsToDeleteNow());
        createPods(plan.toCreate());
        if (plan.workersToChoose() > 0) {
            carryOut(plan.retire(scheduler.get().workersToClose(plan.workersToChoose())));
        }
        return plan.target();
    }

    /**
     * Whether the pods already make {@code workers} workers: nothing to create, retire or delete
     * (ended pods, which no longer count, aside). Reads only.
     */
    boolean reached(int workers) {
        WorkerPlan plan = WorkerPlan.toReach(observe(), workers, countMax);
        return plan.toCreate() == 0
                && plan.unregisteredToDelete().isEmpty()
                && plan.workersToChoose() == 0;
    }

    /** Pods that count as workers now (not ended, not being deleted). Reads only. */
    int liveCount() {
        return (int) listPods().stream().filter(WorkerPool::counts).count();
    }

    private static boolean counts(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() == null
                && !"Succeeded".equals(phase)
                && !"Failed".equals(phase);
    }

    /** Grows to {@code workers} if there are fewer; never shrinks. Returns the number aimed at. */
    synchronized int scaleUp(int workers) {
        WorkerPlan plan = WorkerPlan.toReach(observe(), workers, countMax);
        plan.clampWarning().ifPresent(log::warn);
        deletePods(plan.endedPods());
        createPods(plan.toCreate());
        return Math.max(plan.target(), plan.live().size());
    }

    /** Removes the named workers: pod names, Dask worker names or Dask addresses. */
    synchronized void scaleDown(Collection<String> workers) {
        try {
            carryOut(WorkerPlan.removing(states(), workers));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "scaleDown: cluster " + model.name() + " has " + e.getMessage(), e);
        }
    }

    private void carryOut(WorkerPlan.Removal removal) {
        if (!removal.addressesToRetire().isEmpty()) {
            log.info(
                    "Retiring {} worker(s) through the scheduler: {}",
                    removal.addressesToRetire().size(),
                    removal.addressesToRetire());
            scheduler.get().retireWorkers(removal.addressesToRetire());
        }
        // Under a nanny a worker retired over HTTP would come back under a new address: delete its
        // pod now.
        deletePods(removal.podsToDelete());
    }

    private void createPods(int count) {
        if (count == 0) {
            return;
        }
        log.info("Creating {} worker pod(s) for {}", count, model.name());
        List<CompletableFuture<Void>> creations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Pod pod = model.workerPod(model.newWorkerName());
            creations.add(
                    CompletableFuture.runAsync(
                            () ->
                                    client.pods()
                                            .inNamespace(model.namespace())
                                            .resource(pod)
                                            .create(),
                            creators));
        }
        try {
            CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw new ClusterException(
                    "could not create worker pods for "
                            + model.name()
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private void deletePods(List<String> names) {
        if (!names.isEmpty()) {
            log.info("Deleting worker pod(s) of {}: {}", model.name(), names);
        }
        for (String name : names) {
            client.pods().inNamespace(model.namespace()).withName(name).delete();
        }
    }

    /**
     * Why a worker pod will never give a Dask worker (it ended or crash-loops before registering),
     * with the last lines of its log; empty while every pod may still come up.
     */
    Optional<String> failedBeforeRegistering(List<Pod> pods, List<WorkerState> states) {
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            boolean registered =
                    states.stream().anyMatch(s -> s.podName().equals(name) && s.registered());
            if (registered || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Optional<String> problem = PodProblems.fatalProblem(pod);
            if (problem.isPresent()) {
                return Optional.of(
                        "worker pod "
                                + name
                                + " failed before its Dask worker registered: "
                                + problem.get()
                                + "\n"
                                + logTail(name, 10));
            }
        }
        return Optional.empty();
    }

    private String logTail(String podName, int lines) {
        try {
            String log =
                    client.pods()
                            .inNamespace(model.namespace())
                            .withName(podName)
                            .tailingLines(lines)
                            .getLog();
            return "last lines of its log:\n"
                    + (log == null || log.isBlank() ? "(empty)" : log.stripTrailing());
        } catch (KubernetesClientException e) {
            // 400 is the API server's answer for a container that never started: nothing to show.
            return e.getCode() == 400
                    ? "(no log: the container never started)"
                    : "(its log is unavailable: " + e.getMessage() + ")";
        }
    }

    List<Pod> listPods() {
        return client.pods()
                .inNamespace(model.namespace())
                .withLabels(model.workerSelector())
                .list()
                .getItems();
    }

    // --- adaptive scaling ---

    @Override
    public int schedulerTarget(Duration targetDuration) {
        return scheduler.get().adaptiveTarget(targetDuration);
    }

    @Override
    public int plannedWorkers() {
        return states().size();
    }

    @Override
    public List<String> workersToRemove(int target) {
        WorkerPlan plan = WorkerPlan.toReach(observe(), target, OptionalInt.empty());
        List<String> names = new ArrayList<>(plan.unregisteredToDelete());
        if (plan.workersToChoose() > 0) {
            names.addAll(
                    plan.retire(scheduler.get().workersToClose(plan.workersToChoose()))
                            .podsToDelete());
        }
        return names;
    }

    @Override
    public void scaleUpTo(int workers) {
        scaleUp(workers);
    }

    @Override
    public synchronized void removeWorkers(List<String> podNames) {
        // Workers may have gone since the policy named them; remove those still here.
        List<String> stillHere =
                states().stream().map(WorkerState::podName).filter(podNames::contains).toList();
        carryOut(WorkerPlan.removing(states(), stillHere));
    }
}
