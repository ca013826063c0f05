package io.daskkubernetes.cluster;

import io.daskkubernetes.adapt.AdaptiveCluster;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.spec.ClusterModel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pods of one cluster, kept in step with its Dask workers.
 *
 * <p>Growing creates the missing pods at once, concurrently. Shrinking never deletes a running
 * worker's pod first: pods whose worker never registered go first, then the scheduler names the
 * workers to close, retires them (their data moves to the survivors) and only then are their pods
 * deleted. A Dask worker's name is its pod's name, so the two sides map one to one.
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
     * Every worker pod that has not ended, joined with its Dask worker; ended pods are deleted on
     * the way.
     */
    synchronized List<WorkerState> states() {
        Map<String, String> addressByName = new HashMap<>();
        for (DaskWorker worker : scheduler.get().workers()) {
            addressByName.put(worker.name(), worker.address());
        }
        List<WorkerState> states = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        for (Pod pod : listPods()) {
            String name = pod.getMetadata().getName();
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String phase =
                    pod.getStatus() == null || pod.getStatus().getPhase() == null
                            ? "Pending"
                            : pod.getStatus().getPhase();
            WorkerState state = new WorkerState(name, phase, addressByName.get(name));
            if (state.ended()) {
                ended.add(name);
            } else {
                states.add(state);
            }
        }
        if (!ended.isEmpty()) {
            log.info("Cleaning up ended worker pods: {}", ended);
            deletePods(ended);
        }
        return states;
    }

    synchronized void scale(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("scale: " + workers + " workers; use 0 or more");
        }
        int wanted = clampToMax(workers);
        List<WorkerState> current = states();
        if (wanted > current.size()) {
            createPods(wanted - current.size());
        } else if (wanted < current.size()) {
            removeDownTo(current, wanted);
        }
    }

    synchronized void scaleUp(int workers) {
        int wanted = clampToMax(workers);
        int current = states().size();
        if (wanted > current) {
            createPods(wanted - current);
        }
    }

    /** Removes the named workers: pod names, Dask worker names or Dask addresses. */
    synchronized void scaleDown(Collection<String> workers) {
        List<WorkerState> current = states();
        List<WorkerState> chosen = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>(workers);
        for (WorkerState state : current) {
            if (workers.contains(state.podName())
                    || (state.registered() && workers.contains(state.daskAddress()))) {
                chosen.add(state);
                unknown.remove(state.podName());
                unknown.remove(state.daskAddress());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "scaleDown: no worker of cluster "
                            + model.name()
                            + " is called "
                            + unknown
                            + "; workers are "
                            + current.stream().map(WorkerState::podName).toList());
        }
        retireAndDelete(chosen);
    }

    private int clampToMax(int workers) {
        if (countMax.isPresent() && workers > countMax.getAsInt()) {
            log.warn(
                    "Asked for {} workers, but kubernetes.count.max is {}; scaling to {}",
                    workers,
                    countMax.getAsInt(),
                    countMax.getAsInt());
            return countMax.getAsInt();
        }
        return workers;
    }

    private void removeDownTo(List<WorkerState> current, int target) {
        ScaleDownPlan plan = ScaleDownPlan.of(current, target);
        List<String> doomed = new ArrayList<>(plan.deleteAtOnce());
        if (plan.toRetire() > 0) {
            doomed.addAll(podsOf(scheduler.get().workersToClose(plan.toRetire()), current));
        }
        retireAndDelete(
                doomed.stream()
                        .flatMap(pod -> current.stream().filter(s -> s.podName().equals(pod)))
                        .toList());
    }

    private void retireAndDelete(List<WorkerState> doomed) {
        List<String> addresses =
                doomed.stream()
                        .filter(WorkerState::registered)
                        .map(WorkerState::daskAddress)
                        .toList();
        if (!addresses.isEmpty()) {
            log.info(
                    "Retiring {} worker(s) through the scheduler: {}", addresses.size(), addresses);
            scheduler.get().retireWorkers(addresses);
        }
        // Under a nanny a worker retired over HTTP would come back under a new address: delete its
        // pod now.
        deletePods(doomed.stream().map(WorkerState::podName).toList());
    }

    /** The pods of these Dask workers, in the scheduler's order of preference. */
    private static List<String> podsOf(List<String> addresses, List<WorkerState> states) {
        Map<String, String> podByAddress = new HashMap<>();
        for (WorkerState state : states) {
            if (state.registered()) {
                podByAddress.put(state.daskAddress(), state.podName());
            }
        }
        return addresses.stream()
                .map(podByAddress::get)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private void createPods(int count) {
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
        for (String name : names) {
            client.pods().inNamespace(model.namespace()).withName(name).delete();
        }
    }

    private List<Pod> listPods() {
        return client.pods()
                .inNamespace(model.namespace())
                .withLabels(model.workerSelector())
                .list()
                .getItems();
    }

    // --- adaptive scaling ---

    @Override
    public int schedulerTarget(Duration targetDuration) {
        return scheduler.get().adaptiveTarget();
    }

    @Override
    public int plannedWorkers() {
        return states().size();
    }

    @Override
    public List<String> workersToRemove(int target) {
        List<WorkerState> current = states();
        ScaleDownPlan plan = ScaleDownPlan.of(current, target);
        List<String> names = new ArrayList<>(plan.deleteAtOnce());
        if (plan.toRetire() > 0) {
            names.addAll(podsOf(scheduler.get().workersToClose(plan.toRetire()), current));
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
        List<WorkerState> doomed =
                states().stream().filter(s -> podNames.contains(s.podName())).toList();
        retireAndDelete(doomed);
    }
}
