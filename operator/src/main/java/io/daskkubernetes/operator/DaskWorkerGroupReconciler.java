package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.WorkerPlan;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.operator.api.DaskWorkerGroupStatus;
import io.daskkubernetes.scheduler.DaskWorker;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a DaskWorkerGroup's worker pods at {@code spec.worker.replicas}: creates the missing ones
 * (so a pod deleted or failed behind our back is replaced), and shrinks by retiring the workers the
 * scheduler names, then deleting exactly their pods. Without the scheduler, running workers are
 * never removed: the group waits and says so in its {@code ScaleDown} condition.
 */
@ControllerConfiguration(name = "daskworkergroup")
public final class DaskWorkerGroupReconciler implements Reconciler<DaskWorkerGroup> {

    private static final Logger LOG = LoggerFactory.getLogger(DaskWorkerGroupReconciler.class);
    static final String WORKERS_READY = "WorkersReady";
    static final String SCALE_DOWN = "ScaleDown";
    private static final Duration RECHECK = Duration.ofSeconds(2);
    private static final Duration IDLE_RECHECK = Duration.ofSeconds(30);

    private final SchedulerConnections schedulers;
    private final WorkerBatches batches;

    DaskWorkerGroupReconciler(SchedulerConnections schedulers, WorkerAllocation allocation) {
        this.schedulers = schedulers;
        this.batches = new WorkerBatches(allocation, InstantSource.system());
    }

    @Override
    public List<EventSource<?, DaskWorkerGroup>> prepareEventSources(
            EventSourceContext<DaskWorkerGroup> context) {
        var pods =
                InformerEventSourceConfiguration.from(Pod.class, DaskWorkerGroup.class)
                        .withLabelSelector(DaskLabels.COMPONENT + "=" + DaskLabels.COMPONENT_WORKER)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(DaskWorkerGroup.class))
                        .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<DaskWorkerGroup> reconcile(
            DaskWorkerGroup group, Context<DaskWorkerGroup> context) {
        KubernetesClient client = context.getClient();
        String namespace = group.getMetadata().getNamespace();
        String cluster = group.getSpec().getCluster();
        int desired = group.getSpec().getWorker().replicasOrDefault();
        List<Pod> pods =
                context.getSecondaryResources(Pod.class).stream()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .toList();
        Pod schedulerPod =
                client.pods()
                        .inNamespace(namespace)
                        .withName(ClusterNames.scheduler(cluster))
                        .get();
        SchedulerConnections.Reachable scheduler = schedulers.reach(schedulerPod);
        List<DaskWorker> registered = registeredWorkers(scheduler);
        boolean schedulerKnown = registered != null;
        List<WorkerState> observed =
                WorkerObservation.states(pods, schedulerKnown ? registered : List.of());
        WorkerPlan plan = WorkerPlan.toReach(observed, desired, OptionalInt.empty());

        ClusterAdoption.adopt(client, DaskWorkerGroup.class, group, cluster);
        WorkerBatches.Round round = batches.next(group.getMetadata().getUid(), plan.toCreate());
        if (round.create() > 0) {
            OperatorEvents.normal(client, group, "Scaling", scalingMessage(round, plan, desired));
        }
        for (int i = 0; i < round.create(); i++) {
            String name = WorkerPods.newName(group);
            Pod created =
                    client.pods()
                            .inNamespace(namespace)
                            .resource(WorkerPods.build(group, name))
                            .create();
            // Into the informer's cache now: a reconcile before its ADD event arrives must count
            // this pod, or it would create another.
            podCache(context).handleRecentResourceCreate(ResourceID.fromResource(created), created);
            LOG.info(
                    "{}/{}: created worker pod {}", namespace, group.getMetadata().getName(), name);
        }
        List<String> deleteNow = new ArrayList<>(plan.endedPods());
        int waiting = plan.workersToChoose();
        for (String pod : RetireFirst.unregisteredToDelete(group, plan)) {
            // Without the scheduler "not registered" may only mean "not asked": delete only pods
            // that never started, and let running ones wait for the scheduler's choice.
            if (schedulerKnown || "Pending".equals(phaseOf(observed, pod))) {
                deleteNow.add(pod);
            } else {
                waiting++;
            }
        }
        deletePods(client, namespace, deleteNow, "ended or never registered");

        DaskWorkerGroupStatus status = statusOf(group);
        ScaleDown scaleDown = ScaleDown.DONE;
        if (waiting > 0 && !schedulerKnown) {
            scaleDown =
                    ScaleDown.waiting(
                            waiting + " worker(s) to remove, waiting: " + scheduler.problem());
        } else if (plan.workersToChoose() > 0) {
            scaleDown = retire(client, group, plan, scheduler.client().get());
        }
        String scaleDownProblem = scaleDown.problem();
        if (scaleDownProblem != null && !Conditions.isTrue(status, SCALE_DOWN)) {
            OperatorEvents.warning(client, group, "ScaleDownWaiting", scaleDownProblem);
        }
        int live =
                plan.live().size()
                        + round.create()
                        - (deleteNow.size() - plan.endedPods().size())
                        - scaleDown.removed();

        status.setReplicas(live);
        status.setSelector(OperatorLabels.workerSelector(cluster, group.getMetadata().getName()));
        status.setObservedGeneration(group.getMetadata().getGeneration());
        long registeredCount = observed.stream().filter(WorkerState::registered).count();
        Conditions.set(
                status,
                WORKERS_READY,
                schedulerKnown && registeredCount == desired && live == desired,
                schedulerKnown ? "Registered" : "SchedulerUnreachable",
                schedulerKnown
                        ? registeredCount + " of " + desired + " workers registered"
                        : scheduler.problem());
        Conditions.set(
                status,
                SCALE_DOWN,
                scaleDownProblem != null,
                scaleDownProblem != null ? "Waiting" : "Idle",
                scaleDownProblem != null ? scaleDownProblem : "no worker to remove");
        group.setStatus(status);
        boolean settled =
                scaleDownProblem == null
                        && plan.toCreate() == 0
                        && Conditions.isTrue(status, WORKERS_READY);
        Duration recheck = settled ? IDLE_RECHECK : RECHECK;
        if (round.leavesSome(plan.toCreate())) {
            // the next batch; the pods' own events may bring an earlier reconcile, which waits
            recheck = round.retryAfter().isZero() ? RECHECK : round.retryAfter();
        }
        return UpdateControl.patchStatus(group).rescheduleAfter(recheck);
    }

    /** What a round of pod creation does, and, when it is one batch of several, when the next. */
    private static String scalingMessage(WorkerBatches.Round round, WorkerPlan plan, int desired) {
        boolean batch = round.leavesSome(plan.toCreate());
        String message =
                "creating "
                        + (batch
                                ? round.create() + " of the " + plan.toCreate() + " missing"
                                : round.create())
                        + " worker pod(s) to reach "
                        + desired;
        if (batch) {
            message +=
                    " (worker-allocation batch; the next in "
                            + round.retryAfter().toSeconds()
                            + " s)";
        }
        if (!plan.endedPods().isEmpty()) {
            message += "; replacing ended pods " + plan.endedPods();
        }
        return message;
    }

    /** Retires the workers the scheduler chooses, then deletes exactly their pods. */
    private ScaleDown retire(
            KubernetesClient client,
            DaskWorkerGroup group,
            WorkerPlan plan,
            SchedulerClient scheduler) {
        String namespace = group.getMetadata().getNamespace();
        try {
            // Workers an autoscaler named (the scheduler's choice over several rounds) go first.
            List<String> chosen = new ArrayList<>(RetireFirst.addresses(group, plan.live()));
            chosen.addAll(scheduler.workersToClose(plan.workersToChoose()));
            WorkerPlan.Removal removal = plan.retire(chosen);
            if (removal.podsToDelete().isEmpty()) {
                return ScaleDown.waiting(
                        "the scheduler names no worker it can close yet (it keeps those holding"
                                + " data it cannot move)");
            }
            Map<String, DaskWorker> retired = scheduler.retireWorkers(removal.addressesToRetire());
            LOG.info("{}: retired {} through the scheduler", namespace, retired.keySet());
            OperatorEvents.normal(
                    client,
                    group,
                    "Retired",
                    "the scheduler retired "
                            + removal.addressesToRetire()
                            + "; deleting their pods "
                            + removal.podsToDelete());
            deletePods(client, namespace, removal.podsToDelete(), "retired by the scheduler");
            int removed = removal.podsToDelete().size();
            return new ScaleDown(
                    removed,
                    removed < plan.workersToChoose()
                            ? "the scheduler named only " + removed + " worker(s) to close"
                            : null);
        } catch (SchedulerException e) {
            schedulers.drop(scheduler);
            return ScaleDown.waiting(
                    "asking the scheduler which workers to retire failed: " + e.getMessage());
        }
    }

    /** What a scale-down round did: pods removed, and why it is not finished (null when it is). */
    private record ScaleDown(int removed, String problem) {
        static final ScaleDown DONE = new ScaleDown(0, null);

        static ScaleDown waiting(String problem) {
            return new ScaleDown(0, problem);
        }
    }

    private static List<DaskWorker> registeredWorkers(SchedulerConnections.Reachable scheduler) {
        if (scheduler.client().isEmpty()) {
            return null;
        }
        try {
            return scheduler.client().get().workers();
        } catch (SchedulerException e) {
            LOG.info("the scheduler does not answer: {}", e.getMessage());
            return null;
        }
    }

    private static void deletePods(
            KubernetesClient client, String namespace, List<String> names, String why) {
        for (String name : names) {
            client.pods().inNamespace(namespace).withName(name).delete();
            LOG.info("{}: deleted worker pod {} ({})", namespace, name, why);
        }
    }

    private static String phaseOf(List<WorkerState> observed, String pod) {
        return observed.stream()
                .filter(w -> w.podName().equals(pod))
                .map(WorkerState::phase)
                .findFirst()
                .orElse(null);
    }

    private static InformerEventSource<Pod, DaskWorkerGroup> podCache(
            Context<DaskWorkerGroup> context) {
        return (InformerEventSource<Pod, DaskWorkerGroup>)
                context.eventSourceRetriever().getEventSourceFor(Pod.class);
    }

    private static DaskWorkerGroupStatus statusOf(DaskWorkerGroup group) {
        return group.getStatus() == null ? new DaskWorkerGroupStatus() : group.getStatus();
    }
}
