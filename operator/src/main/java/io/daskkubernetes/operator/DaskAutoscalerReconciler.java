package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import io.daskkubernetes.operator.api.DaskAutoscalerStatus;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerException;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales a DaskCluster's worker group with the work, every {@code interval}: asks the scheduler its
 * adaptive target, applies the classic client's policy ({@link AutoscalerRule}), and carries a
 * decision out only through the group's replicas, so the group's own identity-aware scale-down
 * retires the workers before deleting their pods. Decisions are Events, status and a counter.
 */
@ControllerConfiguration(name = "daskautoscaler")
public final class DaskAutoscalerReconciler implements Reconciler<DaskAutoscaler> {

    private static final Logger LOG = LoggerFactory.getLogger(DaskAutoscalerReconciler.class);
    private static final Duration INVALID_RECHECK = Duration.ofSeconds(30);

    /**
     * distributed's Adaptive rhythm (a round every 1 s, down after 3 agreeing rounds, a 5 s target
     * duration); each autoscaler brings its own bounds.
     */
    static final AdaptiveOptions DEFAULT_TIMING = AdaptiveOptions.of(0, 0);

    private final SchedulerConnections schedulers;
    private final AutoscalerRules rules;
    private final ScaleDecisionCounter decisions;

    DaskAutoscalerReconciler(
            SchedulerConnections schedulers,
            AdaptiveOptions timing,
            ScaleDecisionCounter decisions) {
        this.schedulers = schedulers;
        this.rules = new AutoscalerRules(timing);
        this.decisions = decisions;
    }

    /**
     * Read-only caches of the worker groups and the clusters' pods, so that a round every second
     * costs no API read; their changes do not trigger rounds (the timer does).
     */
    @Override
    public List<EventSource<?, DaskAutoscaler>> prepareEventSources(
            EventSourceContext<DaskAutoscaler> context) {
        var groups =
                InformerEventSourceConfiguration.from(DaskWorkerGroup.class, DaskAutoscaler.class)
                        .withSecondaryToPrimaryMapper(g -> Set.of())
                        .build();
        // the pods of Dask clusters: their schedulers, and the workers a shrink would name
        var clusterPods =
                InformerEventSourceConfiguration.from(Pod.class, DaskAutoscaler.class)
                        .withLabelSelector(DaskLabels.CLUSTER_NAME)
                        .withSecondaryToPrimaryMapper(p -> Set.of())
                        .build();
        return List.of(
                new InformerEventSource<>(groups, context),
                new InformerEventSource<>(clusterPods, context));
    }

    @Override
    public UpdateControl<DaskAutoscaler> reconcile(
            DaskAutoscaler autoscaler, Context<DaskAutoscaler> context) {
        rules.keepOnly(
                context.getPrimaryCache().list().map(a -> a.getMetadata().getUid()).toList());
        KubernetesClient client = context.getClient();
        DaskAutoscalerSpec spec = autoscaler.getSpec();
        DaskAutoscalerStatus status =
                autoscaler.getStatus() == null
                        ? new DaskAutoscalerStatus()
                        : autoscaler.getStatus();
        String before = snapshot(status);
        String previousMessage = status.getMessage();
        status.setObservedGeneration(autoscaler.getMetadata().getGeneration());

        Optional<String> invalid = invalid(spec);
        if (invalid.isPresent()) {
            return report(client, autoscaler, status, before, previousMessage, invalid.get())
                    .rescheduleAfter(INVALID_RECHECK);
        }
        String namespace = autoscaler.getMetadata().getNamespace();
        ClusterAdoption.adopt(client, DaskAutoscaler.class, autoscaler, spec.getCluster());
        String groupName =
                spec.getWorkerGroup() != null
                        ? spec.getWorkerGroup()
                        : ClusterNames.defaultWorkerGroup(spec.getCluster());
        status.setWorkerGroup(groupName);
        Duration interval = rules.defaults().interval();
        InformerEventSource<DaskWorkerGroup, DaskAutoscaler> groups =
                cache(context, DaskWorkerGroup.class);
        DaskWorkerGroup group = groups.get(new ResourceID(groupName, namespace)).orElse(null);
        if (group == null || !spec.getCluster().equals(group.getSpec().getCluster())) {
            String problem =
                    group == null
                            ? "the DaskWorkerGroup "
                                    + groupName
                                    + " does not exist (yet); spec.cluster and spec.workerGroup"
                                    + " name what to scale"
                            : "the DaskWorkerGroup "
                                    + groupName
                                    + " belongs to cluster "
                                    + group.getSpec().getCluster()
                                    + ", not to spec.cluster "
                                    + spec.getCluster();
            return report(client, autoscaler, status, before, previousMessage, problem)
                    .rescheduleAfter(interval.multipliedBy(5));
        }

        AutoscalerRule rule = rules.of(autoscaler, groupName);
        int replicas = group.getSpec().getWorker().replicasOrDefault();
        InformerEventSource<Pod, DaskAutoscaler> pods = cache(context, Pod.class);
        Pod schedulerPod =
                pods.get(new ResourceID(ClusterNames.scheduler(spec.getCluster()), namespace))
                        .orElse(null);
        ScaleDecision decision =
                decide(pods, schedulerPod, namespace, groupName, replicas, rule, status);
        if (decision.scales()) {
            DaskWorkerGroup scaled =
                    WorkerGroupReplicas.set(client, group, decision.to(), decision.retire());
            // Into the cache now: the next round, a second from now, must see the new replicas
            // even if the watch is late, or it would decide the same again.
            groups.handleRecentResourceUpdate(ResourceID.fromResource(scaled), scaled, group);
            OperatorEvents.normal(
                    client,
                    autoscaler,
                    decision.direction() == ScaleDecision.Direction.UP ? "ScaledUp" : "ScaledDown",
                    groupName + " " + decision.describe());
            decisions.count(namespace, spec.getCluster(), decision);
            status.setLastDecision(decision.describe());
            status.setLastScaleTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            LOG.info("{}/{}: {}", namespace, groupName, decision.describe());
        } else {
            LOG.debug("{}/{}: {}", namespace, groupName, decision.describe());
        }
        status.setDesiredWorkers(decision.to());
        status.setCurrentWorkers(
                group.getStatus() == null ? null : group.getStatus().getReplicas());
        return report(client, autoscaler, status, before, previousMessage, status.getMessage())
                .rescheduleAfter(interval);
    }

    /** This round's decision; the scheduler's problem, if any, goes to {@code status.message}. */
    private ScaleDecision decide(
            InformerEventSource<Pod, DaskAutoscaler> pods,
            Pod schedulerPod,
            String namespace,
            String groupName,
            int replicas,
            AutoscalerRule rule,
            DaskAutoscalerStatus status) {
        SchedulerConnections.Reachable reach = schedulers.reach(schedulerPod);
        if (reach.client().isEmpty()) {
            status.setMessage(reach.problem());
            return rule.withoutScheduler(replicas, reach.problem());
        }
        SchedulerClient scheduler = reach.client().get();
        try {
            int target = scheduler.adaptiveTarget(rule.options().targetDuration());
            status.setSchedulerTarget(target);
            status.setMessage(null);
            return rule.decide(
                    target,
                    replicas,
                    new RemovableWorkers(
                            () -> workerPods(pods, namespace, groupName),
                            namespace,
                            groupName,
                            replicas,
                            scheduler));
        } catch (SchedulerException e) {
            schedulers.drop(scheduler);
            String problem = "asking the scheduler its adaptive target failed: " + e.getMessage();
            status.setMessage(problem);
            return rule.withoutScheduler(replicas, problem);
        }
    }

    /**
     * Writes the status when it changed (a status write each second would only add load), with a
     * Warning Event when a new problem appears.
     */
    private static UpdateControl<DaskAutoscaler> report(
            KubernetesClient client,
            DaskAutoscaler autoscaler,
            DaskAutoscalerStatus status,
            String before,
            String previousMessage,
            String problem) {
        status.setMessage(problem);
        if (problem != null && !problem.equals(previousMessage)) {
            OperatorEvents.warning(client, autoscaler, "AutoscalerWaiting", problem);
        }
        autoscaler.setStatus(status);
        return snapshot(status).equals(before)
                ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(autoscaler);
    }

    /** Why the spec cannot be followed, naming the field and the fix; empty when it can. */
    static Optional<String> invalid(DaskAutoscalerSpec spec) {
        if (spec == null || spec.getCluster() == null || spec.getCluster().isBlank()) {
            return Optional.of("spec.cluster is missing; name the DaskCluster to scale");
        }
        if (spec.getMinimum() == null || spec.getMaximum() == null) {
            return Optional.of("spec.minimum and spec.maximum are required; give both bounds");
        }
        if (spec.getMinimum() < 0) {
            return Optional.of("spec.minimum is " + spec.getMinimum() + "; use 0 or more workers");
        }
        if (spec.getMaximum() < spec.getMinimum()) {
            return Optional.of(
                    "spec.minimum "
                            + spec.getMinimum()
                            + " is above spec.maximum "
                            + spec.getMaximum()
                            + "; set minimum <= maximum");
        }
        return Optional.empty();
    }

    private static List<Pod> workerPods(
            InformerEventSource<Pod, DaskAutoscaler> pods, String namespace, String group) {
        return pods.list(
                        namespace,
                        p ->
                                group.equals(
                                        p.getMetadata()
                                                .getLabels()
                                                .get(OperatorLabels.WORKER_GROUP_NAME)))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> InformerEventSource<R, DaskAutoscaler> cache(
            Context<DaskAutoscaler> context, Class<R> kind) {
        return (InformerEventSource<R, DaskAutoscaler>)
                context.eventSourceRetriever().getEventSourceFor(kind);
    }

    private static String snapshot(DaskAutoscalerStatus s) {
        return Objects.toString(s.getWorkerGroup())
                + '|'
                + s.getDesiredWorkers()
                + '|'
                + s.getCurrentWorkers()
                + '|'
                + s.getSchedulerTarget()
                + '|'
                + s.getLastScaleTime()
                + '|'
                + s.getLastDecision()
                + '|'
                + s.getMessage()
                + '|'
                + s.getObservedGeneration();
    }
}
