package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskJob;
import io.daskkubernetes.operator.api.DaskJobStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a DaskJob as upstream does: {@code jobStatus} JobCreated, then the cluster and the runner
 * pod are made (ClusterCreated), the runner runs (Running, {@code startTime}), and when it ends the
 * cluster is deleted (Successful or Failed, {@code endTime}). Beyond upstream, as a Kubernetes Job
 * does: a failed runner's exit code and last log lines go to status and to an Event, and {@code
 * spec.ttlSecondsAfterFinished} deletes the finished job. Deleting the job deletes the cluster and
 * the runner through their owner references.
 */
@ControllerConfiguration(name = "daskjob")
public final class DaskJobReconciler implements Reconciler<DaskJob> {

    private static final Logger LOG = LoggerFactory.getLogger(DaskJobReconciler.class);

    static final String JOB_CREATED = "JobCreated";
    static final String CLUSTER_CREATED = "ClusterCreated";
    static final String RUNNING = "Running";
    static final String SUCCESSFUL = "Successful";
    static final String FAILED = "Failed";

    /** How many of the failed runner's last log lines status and the Event quote. */
    static final int LOG_LINES = 10;

    /** Event messages are cut to this (the API server keeps short ones; so does a terminal). */
    private static final int MAX_MESSAGE = 1000;

    private final Clock clock;

    public DaskJobReconciler() {
        this(Clock.systemUTC());
    }

    DaskJobReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, DaskJob>> prepareEventSources(EventSourceContext<DaskJob> context) {
        var runners =
                InformerEventSourceConfiguration.from(Pod.class, DaskJob.class)
                        .withLabelSelector(
                                DaskLabels.COMPONENT + "=" + JobResources.COMPONENT_JOB_RUNNER)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DaskJob.class))
                        .build();
        var clusters =
                InformerEventSourceConfiguration.from(DaskCluster.class, DaskJob.class)
                        .withName("daskjob-clusters")
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DaskJob.class))
                        .build();
        return List.of(
                new InformerEventSource<>(runners, context),
                new InformerEventSource<>(clusters, context));
    }

    @Override
    public UpdateControl<DaskJob> reconcile(DaskJob job, Context<DaskJob> context) {
        DaskJobStatus status = job.getStatus() == null ? new DaskJobStatus() : job.getStatus();
        job.setStatus(status);
        KubernetesClient client = context.getClient();
        String state = status.getJobStatus();
        if (state == null) {
            return UpdateControl.patchStatus(begin(job, status, client))
                    .rescheduleAfter(Duration.ofMillis(100));
        }
        if (finished(state)) {
            return afterTheEnd(job, status, client);
        }
        Optional<Pod> runner = owned(context.getSecondaryResources(Pod.class), job);
        if (JOB_CREATED.equals(state) || CLUSTER_CREATED.equals(state)) {
            makeClusterAndRunner(job, status, context, runner.isPresent());
        }
        if (runner.isEmpty()) {
            if (RUNNING.equals(state)) {
                fail(job, status, client, null, "the runner pod " + runnerName(job) + " is gone");
                return UpdateControl.patchStatus(job);
            }
            return UpdateControl.patchStatus(job).rescheduleAfter(Duration.ofSeconds(5));
        }
        RunnerOutcome outcome = RunnerOutcome.of(runner.get());
        if (outcome.succeeded() || outcome.failed()) {
            finish(job, status, client, outcome);
            return withTtl(UpdateControl.patchStatus(job), job);
        }
        if (outcome.running() && !RUNNING.equals(state)) {
            status.setJobStatus(RUNNING);
            status.setStartTime(JobTimes.fromKubernetes(outcome.startedAt(), clock.instant()));
            LOG.info("DaskJob {}: the runner runs", name(job));
            OperatorEvents.normal(
                    client, job, "JobRunning", "runner pod " + runnerName(job) + " is running");
        }
        // the runner's informer wakes us on its changes; the timer is a safety net
        return UpdateControl.patchStatus(job).rescheduleAfter(Duration.ofSeconds(30));
    }

    private DaskJob begin(DaskJob job, DaskJobStatus status, KubernetesClient client) {
        Optional<String> invalid = JobResources.problem(job);
        if (invalid.isPresent()) {
            status.setJobStatus(FAILED);
            status.setMessage(invalid.get());
            status.setEndTime(JobTimes.format(clock.instant()));
            LOG.warn("DaskJob {}: {}", name(job), invalid.get());
            OperatorEvents.warning(client, job, "InvalidName", invalid.get());
            return job;
        }
        status.setJobStatus(JOB_CREATED);
        LOG.info("DaskJob {}/{} created", job.getMetadata().getNamespace(), name(job));
        return job;
    }

    private void makeClusterAndRunner(
            DaskJob job, DaskJobStatus status, Context<DaskJob> context, boolean runnerExists) {
        KubernetesClient client = context.getClient();
        String namespace = job.getMetadata().getNamespace();
        if (owned(context.getSecondaryResources(DaskCluster.class), job).isEmpty()) {
            createUnlessThere(client, namespace, JobResources.cluster(job));
        }
        if (!runnerExists) {
            createUnlessThere(client, namespace, JobResources.runner(job));
        }
        status.setClusterName(JobResources.clusterName(job));
        status.setJobRunnerPodName(runnerName(job));
        if (JOB_CREATED.equals(status.getJobStatus())) {
            status.setJobStatus(CLUSTER_CREATED);
            LOG.info("DaskJob {}: made cluster {} and runner", name(job), status.getClusterName());
            OperatorEvents.normal(
                    client,
                    job,
                    "ClusterCreated",
                    "created DaskCluster "
                            + status.getClusterName()
                            + " and runner pod "
                            + runnerName(job));
        }
    }

    /** The runner has ended: record how, then delete the cluster, which has nothing left to do. */
    private void finish(
            DaskJob job, DaskJobStatus status, KubernetesClient client, RunnerOutcome outcome) {
        if (status.getStartTime() == null) {
            // it ran and ended between two looks
            status.setStartTime(JobTimes.fromKubernetes(outcome.startedAt(), clock.instant()));
        }
        status.setEndTime(JobTimes.fromKubernetes(outcome.finishedAt(), clock.instant()));
        status.setExitCode(outcome.exitCode());
        if (outcome.succeeded()) {
            status.setJobStatus(SUCCESSFUL);
            status.setMessage(null);
            LOG.info("DaskJob {}: the runner succeeded", name(job));
            OperatorEvents.normal(
                    client, job, "JobSucceeded", "runner pod " + runnerName(job) + " succeeded");
        } else {
            String why =
                    "runner container "
                            + outcome.container()
                            + " exited with code "
                            + outcome.exitCode()
                            + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
            fail(job, status, client, outcome.container(), why);
            return;
        }
        deleteCluster(job, client);
    }

    private void fail(
            DaskJob job,
            DaskJobStatus status,
            KubernetesClient client,
            String container,
            String why) {
        String message = why + lastLogLines(job, client, container);
        status.setJobStatus(FAILED);
        status.setMessage(cut(message));
        if (status.getEndTime() == null) {
            status.setEndTime(JobTimes.format(clock.instant()));
        }
        LOG.warn("DaskJob {} failed: {}", name(job), message);
        OperatorEvents.warning(client, job, "JobFailed", cut(message));
        deleteCluster(job, client);
    }

    /** The failed container's last lines, to read without kubectl logs; never fatal. */
    private static String lastLogLines(DaskJob job, KubernetesClient client, String container) {
        if (container == null) {
            return "";
        }
        try {
            String log =
                    client.pods()
                            .inNamespace(job.getMetadata().getNamespace())
                            .withName(runnerName(job))
                            .inContainer(container)
                            .tailingLines(LOG_LINES)
                            .getLog();
            if (log == null || log.isBlank()) {
                return "; its log is empty";
            }
            String tail = log.stripTrailing();
            int room = MAX_MESSAGE / 2;
            return "; last log lines:\n"
                    + (tail.length() <= room
                            ? tail
                            : "…" + tail.substring(tail.length() - room + 1));
        } catch (KubernetesClientException e) {
            LOG.warn("DaskJob {}: cannot read the runner's log: {}", name(job), e.getMessage());
            return "; its log could not be read: " + e.getMessage();
        }
    }

    private static void deleteCluster(DaskJob job, KubernetesClient client) {
        String cluster = JobResources.clusterName(job);
        boolean deleted =
                !client.resources(DaskCluster.class)
                        .inNamespace(job.getMetadata().getNamespace())
                        .withName(cluster)
                        .delete()
                        .isEmpty();
        if (deleted) {
            LOG.info("DaskJob {}: the runner ended; deleted DaskCluster {}", name(job), cluster);
            OperatorEvents.normal(
                    client,
                    job,
                    "ClusterDeleted",
                    "the runner ended; deleted DaskCluster " + cluster);
        }
    }

    /** A finished job: its cluster stays deleted, and the job itself goes after its TTL. */
    private UpdateControl<DaskJob> afterTheEnd(
            DaskJob job, DaskJobStatus status, KubernetesClient client) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null || status.getEndTime() == null) {
            return UpdateControl.noUpdate();
        }
        Instant expiry = JobTimes.parse(status.getEndTime()).plusSeconds(ttl);
        Duration left = Duration.between(clock.instant(), expiry);
        if (!left.isNegative() && !left.isZero()) {
            return UpdateControl.<DaskJob>noUpdate().rescheduleAfter(left);
        }
        String message =
                "finished at "
                        + status.getEndTime()
                        + "; ttlSecondsAfterFinished "
                        + ttl
                        + " has passed: the job and its runner pod are deleted";
        LOG.info("DaskJob {}: {}", name(job), message);
        OperatorEvents.normal(client, job, "TTLExpired", message);
        client.resource(job).delete();
        return UpdateControl.noUpdate();
    }

    private static UpdateControl<DaskJob> withTtl(UpdateControl<DaskJob> control, DaskJob job) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        return ttl == null ? control : control.rescheduleAfter(Duration.ofSeconds(ttl));
    }

    private static void createUnlessThere(
            KubernetesClient client, String namespace, HasMetadata resource) {
        try {
            client.resource(resource).inNamespace(namespace).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // made by an earlier reconcile whose result the cache has not shown yet
            LOG.debug("{} {} exists already", resource.getKind(), resource.getMetadata().getName());
        }
    }

    /** The one of {@code candidates} this job controls, by name and owner. */
    private static <R extends HasMetadata> Optional<R> owned(
            java.util.Set<R> candidates, DaskJob job) {
        return candidates.stream()
                .filter(
                        r ->
                                r.getMetadata().getOwnerReferences().stream()
                                        .anyMatch(
                                                o -> job.getMetadata().getUid().equals(o.getUid())))
                .findFirst();
    }

    private static boolean finished(String state) {
        return SUCCESSFUL.equals(state) || FAILED.equals(state);
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE
                ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static String runnerName(DaskJob job) {
        return JobResources.runnerName(job);
    }

    private static String name(DaskJob job) {
        return job.getMetadata().getName();
    }
}
