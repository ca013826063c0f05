package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskClusterStatus;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a DaskCluster's scheduler pod, Service and default worker group, remakes the scheduler pod
 * when it is gone or ended, passes {@code spec.worker.replicas} on to the default group when the
 * cluster's spec changes, and reports phase (Created, Pending, Running, Error) and conditions.
 */
@ControllerConfiguration(name = "daskcluster")
public final class DaskClusterReconciler implements Reconciler<DaskCluster> {

    private static final Logger LOG = LoggerFactory.getLogger(DaskClusterReconciler.class);
    static final String SCHEDULER_READY = "SchedulerReady";

    @Override
    public List<EventSource<?, DaskCluster>> prepareEventSources(
            EventSourceContext<DaskCluster> context) {
        String scheduler = DaskLabels.COMPONENT + "=" + DaskLabels.COMPONENT_SCHEDULER;
        var pods =
                InformerEventSourceConfiguration.from(Pod.class, DaskCluster.class)
                        .withLabelSelector(scheduler)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(DaskCluster.class))
                        .build();
        var services =
                InformerEventSourceConfiguration.from(Service.class, DaskCluster.class)
                        .withLabelSelector(scheduler)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(DaskCluster.class))
                        .build();
        var groups =
                InformerEventSourceConfiguration.from(DaskWorkerGroup.class, DaskCluster.class)
                        .withSecondaryToPrimaryMapper(
                                Mappers.fromOwnerReferences(DaskCluster.class))
                        .build();
        return List.of(
                new InformerEventSource<>(pods, context),
                new InformerEventSource<>(services, context),
                new InformerEventSource<>(groups, context));
    }

    @Override
    public UpdateControl<DaskCluster> reconcile(DaskCluster cluster, Context<DaskCluster> context) {
        String name = cluster.getMetadata().getName();
        DaskClusterStatus status =
                cluster.getStatus() == null ? new DaskClusterStatus() : cluster.getStatus();
        cluster.setStatus(status);
        Optional<String> invalid = ClusterNames.problem(name);
        if (invalid.isPresent()) {
            boolean firstTime = !"Error".equals(status.getPhase());
            status.setPhase("Error");
            status.setMessage(invalid.get());
            status.setObservedGeneration(cluster.getMetadata().getGeneration());
            LOG.warn("DaskCluster {}: {}", name, invalid.get());
            if (firstTime) {
                OperatorEvents.warning(context.getClient(), cluster, "InvalidName", invalid.get());
            }
            return UpdateControl.patchStatus(cluster);
        }
        KubernetesClient client = context.getClient();
        String namespace = cluster.getMetadata().getNamespace();
        boolean created = false;

        Optional<Pod> scheduler =
                context.getSecondaryResources(Pod.class).stream()
                        .filter(p -> ClusterNames.scheduler(name).equals(p.getMetadata().getName()))
                        .findFirst();
        if (scheduler.isEmpty()) {
            client.pods()
                    .inNamespace(namespace)
                    .resource(ClusterResources.schedulerPod(cluster))
                    .create();
            LOG.info("{}/{}: created the scheduler pod", namespace, name);
            OperatorEvents.normal(
                    client,
                    cluster,
                    "SchedulerCreated",
                    "created scheduler pod " + ClusterNames.scheduler(name));
            created = true;
        } else if (ended(scheduler.get())
                && scheduler.get().getMetadata().getDeletionTimestamp() == null) {
            // restartPolicy Never or OnFailure: a scheduler that has ended is made again, afresh.
            client.resource(scheduler.get()).delete();
            LOG.info("{}/{}: the scheduler pod ended; deleted to be made again", namespace, name);
            OperatorEvents.warning(
                    client,
                    cluster,
                    "SchedulerEnded",
                    "the scheduler pod ended ("
                            + scheduler.get().getStatus().getPhase()
                            + "); it is made again");
        }
        if (context.getSecondaryResources(Service.class).stream()
                .noneMatch(s -> ClusterNames.service(name).equals(s.getMetadata().getName()))) {
            client.services()
                    .inNamespace(namespace)
                    .resource(ClusterResources.schedulerService(cluster))
                    .create();
            LOG.info("{}/{}: created the scheduler Service", namespace, name);
            created = true;
        }
        Optional<DaskWorkerGroup> defaultGroup =
                context.getSecondaryResources(DaskWorkerGroup.class).stream()
                        .filter(
                                g ->
                                        ClusterNames.defaultWorkerGroup(name)
                                                .equals(g.getMetadata().getName()))
                        .findFirst();
        if (defaultGroup.isEmpty()) {
            client.resources(DaskWorkerGroup.class)
                    .inNamespace(namespace)
                    .resource(ClusterResources.defaultWorkerGroup(cluster))
                    .create();
            LOG.info("{}/{}: created the default worker group", namespace, name);
            OperatorEvents.normal(
                    client,
                    cluster,
                    "WorkerGroupCreated",
                    "created worker group " + ClusterNames.defaultWorkerGroup(name));
            created = true;
        } else {
            passReplicasOn(cluster, defaultGroup.get(), client);
        }

        boolean schedulerReady = scheduler.map(DaskClusterReconciler::ready).orElse(false);
        status.setPhase(created ? "Created" : schedulerReady ? "Running" : "Pending");
        status.setMessage(null);
        Conditions.set(
                status,
                SCHEDULER_READY,
                schedulerReady,
                schedulerReady ? "PodReady" : "PodNotReady",
                scheduler
                        .map(
                                p ->
                                        "scheduler pod "
                                                + p.getMetadata().getName()
                                                + " is "
                                                + p.getStatus().getPhase())
                        .orElse("the scheduler pod is being created"));
        var groupStatus = defaultGroup.map(DaskWorkerGroup::getStatus);
        status.setReplicas(groupStatus.map(s -> s.getReplicas()).orElse(0));
        status.setSelector(
                OperatorLabels.workerSelector(name, ClusterNames.defaultWorkerGroup(name)));
        boolean workersReady =
                groupStatus
                        .map(s -> Conditions.isTrue(s, DaskWorkerGroupReconciler.WORKERS_READY))
                        .orElse(false);
        Conditions.set(
                status,
                DaskWorkerGroupReconciler.WORKERS_READY,
                workersReady,
                workersReady ? "Registered" : "Waiting",
                "default worker group: "
                        + groupStatus
                                .map(s -> s.getReplicas() + " worker pod(s)")
                                .orElse("not made yet"));
        status.setObservedGeneration(cluster.getMetadata().getGeneration());
        UpdateControl<DaskCluster> control = UpdateControl.patchStatus(cluster);
        return "Running".equals(status.getPhase())
                ? control
                : control.rescheduleAfter(Duration.ofSeconds(2));
    }

    /**
     * {@code kubectl scale daskcluster} changes the cluster's spec: hand the count to the default
     * group. Only when the spec changed since last seen, so that scaling the group directly is not
     * undone.
     */
    private static void passReplicasOn(
            DaskCluster cluster, DaskWorkerGroup group, KubernetesClient client) {
        Long seen = cluster.getStatus().getObservedGeneration();
        if (seen != null && seen.equals(cluster.getMetadata().getGeneration())) {
            return;
        }
        int wanted = cluster.getSpec().getWorker().replicasOrDefault();
        if (!Objects.equals(group.getSpec().getWorker().getReplicas(), wanted)) {
            client.resources(DaskWorkerGroup.class)
                    .inNamespace(group.getMetadata().getNamespace())
                    .withName(group.getMetadata().getName())
                    .edit(
                            g -> {
                                g.getSpec().getWorker().setReplicas(wanted);
                                return g;
                            });
            LOG.info(
                    "{}: default worker group scaled to {}",
                    cluster.getMetadata().getName(),
                    wanted);
        }
    }

    private static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(
                        (PodCondition c) ->
                                "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
