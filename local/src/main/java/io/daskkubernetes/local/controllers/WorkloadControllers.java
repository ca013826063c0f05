package io.daskkubernetes.local.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daskkubernetes.local.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deployment, ReplicaSet and Job controllers of kube-controller-manager, for the fields in
 * common use:
 *
 * <ul>
 *   <li>ReplicaSet: keeps spec.replicas pods from its template (owned by it, named after it),
 *       deleting the not-ready and newest first; status replicas, ready and available replicas.
 *   <li>Deployment: one ReplicaSet per pod template, named and labelled with the template's
 *       pod-template-hash; RollingUpdate within maxSurge/maxUnavailable (25%/25% by default) or
 *       Recreate; revisions; status (updated, ready, available, unavailable replicas, Available and
 *       Progressing conditions) as {@code kubectl rollout status} reads it; old ReplicaSets beyond
 *       revisionHistoryLimit removed.
 *   <li>Job: parallelism pods at a time until completions succeed (Complete) or more than
 *       backoffLimit fail (Failed, BackoffLimitExceeded; the active pods are deleted);
 *       activeDeadlineSeconds; status counts, start and completion times.
 * </ul>
 *
 * Each pass reads the current objects from the API (not from informer caches, which lag behind our
 * own writes), after any change of the watched kinds and every second.
 */
public final class WorkloadControllers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadControllers.class);
    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
    private static final long PERIOD_MILLIS = 2000;

    private final KubernetesClient client;
    private final EventRecorder deploymentEvents;
    private final EventRecorder replicaSetEvents;
    private final EventRecorder jobEvents;
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "workload-controllers");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean closed;

    public WorkloadControllers(KubernetesClient client) {
        this.client = client;
        this.deploymentEvents = new EventRecorder(client, "deployment-controller", null);
        this.replicaSetEvents = new EventRecorder(client, "replicaset-controller", null);
        this.jobEvents = new EventRecorder(client, "job-controller", null);
    }

    public void start() {
        informers.add(client.apps().deployments().inAnyNamespace().inform(trigger(), 0));
        informers.add(client.apps().replicaSets().inAnyNamespace().inform(trigger(), 0));
        informers.add(client.batch().v1().jobs().inAnyNamespace().inform(trigger(), 0));
        informers.add(client.pods().inAnyNamespace().inform(trigger(), 0));
        worker.scheduleWithFixedDelay(this::passSafely, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private <T> ResourceEventHandler<T> trigger() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                schedule();
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                schedule();
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
                schedule();
            }
        };
    }

    private void schedule() {
        if (closed || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(
                    () -> {
                        scheduled.set(false);
                        passSafely();
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void passSafely() {
        if (closed) {
            return;
        }
        try {
            pass();
        } catch (KubernetesClientException e) {
            if (!closed) {
                LOG.debug("workload controllers pass failed; the next one retries", e);
            }
        } catch (RuntimeException e) {
            LOG.warn("workload controllers pass failed; the next one retries", e);
        }
    }

    private void pass() {
        List<Deployment> deployments =
                client.apps().deployments().inAnyNamespace().list().getItems();
        List<ReplicaSet> replicaSets =
                client.apps().replicaSets().inAnyNamespace().list().getItems();
        List<Job> jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems();
        if (deployments.isEmpty() && replicaSets.isEmpty() && jobs.isEmpty()) {
            return;
        }
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        for (Deployment deployment : deployments) {
            if (deployment.getMetadata().getDeletionTimestamp() == null) {
                syncDeployment(deployment);
            }
        }
        if (!deployments.isEmpty()) {
            // The Deployments may have just changed their ReplicaSets.
            replicaSets = client.apps().replicaSets().inAnyNamespace().list().getItems();
        }
        for (ReplicaSet replicaSet : replicaSets) {
            if (replicaSet.getMetadata().getDeletionTimestamp() == null) {
                syncReplicaSet(replicaSet, ownedBy(pods, replicaSet));
            }
        }
        for (Job job : jobs) {
            if (job.getMetadata().getDeletionTimestamp() == null) {
                syncJob(job, ownedBy(pods, job));
            }
        }
    }

    // ---- ReplicaSet ----

    private void syncReplicaSet(ReplicaSet rs, List<Pod> owned) {
        List<Pod> active = owned.stream().filter(WorkloadControllers::isActive).toList();
        int wanted = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        if (active.size() < wanted) {
            for (int i = active.size(); i < wanted; i++) {
                Pod pod =
                        createPod(
                                rs,
                                "ReplicaSet",
                                rs.getSpec().getTemplate(),
                                rs.getMetadata().getName() + "-",
                                Map.of());
                if (pod != null) {
                    replicaSetEvents.record(
                            reference(rs, "apps/v1", "ReplicaSet"),
                            EventRecorder.NORMAL,
                            "SuccessfulCreate",
                            "Created pod: " + pod.getMetadata().getName());
                }
            }
        } else if (active.size() > wanted) {
            List<Pod> victims = new ArrayList<>(active);
            victims.sort(
                    Comparator.comparing((Pod p) -> isReady(p) ? 1 : 0)
                            .thenComparing(
                                    (Pod p) -> p.getMetadata().getCreationTimestamp(),
                                    Comparator.nullsLast(Comparator.reverseOrder())));
            for (Pod pod : victims.subList(0, active.size() - wanted)) {
                try {
                    client.pods()
                            .inNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName())
                            .delete();
                    replicaSetEvents.record(
                            reference(rs, "apps/v1", "ReplicaSet"),
                            EventRecorder.NORMAL,
                            "SuccessfulDelete",
                            "Deleted pod: " + pod.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    LOG.debug("could not delete pod {}", pod.getMetadata().getName(), e);
                }
            }
        }
        int ready = (int) active.stream().filter(WorkloadControllers::isReady).count();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("replicas", active.size());
        status.put("fullyLabeledReplicas", active.size());
        status.put("readyReplicas", ready);
        status.put("availableReplicas", ready);
        status.put("observedGeneration", rs.getMetadata().getGeneration());
        writeStatus(
                rs,
                status,
                () ->
                        client.apps()
                                .replicaSets()
                                .inNamespace(rs.getMetadata().getNamespace())
                                .withName(rs.getMetadata().getName()));
    }

    // ---- Deployment ----

    private void syncDeployment(Deployment deployment) {
        String namespace = deployment.getMetadata().getNamespace();
        int replicas =
                deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String hash = templateHash(deployment.getSpec().getTemplate());
        List<ReplicaSet> all =
                new ArrayList<>(
                        client
                                .apps()
                                .replicaSets()
                                .inNamespace(namespace)
                                .list()
                                .getItems()
                                .stream()
                                .filter(rs -> isControlledBy(rs, deployment))
                                .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                                .toList());
        all.sort(Comparator.comparing(rs -> revision(rs)));
        ReplicaSet newRs =
                all.stream()
                        .filter(rs -> hash.equals(labels(rs).get(HASH_LABEL)))
                        .findFirst()
                        .orElse(null);
        List<ReplicaSet> old =
                all.stream()
                        .filter(rs -> rs != null && !hash.equals(labels(rs).get(HASH_LABEL)))
                        .toList();
        long maxRevision = all.stream().mapToLong(WorkloadControllers::revision).max().orElse(0);
        boolean recreate =
                deployment.getSpec().getStrategy() != null
                        && "Recreate".equals(deployment.getSpec().getStrategy().getType());
        int surge = recreate ? 0 : surge(deployment, replicas);
        int unavailable = recreate ? replicas : maxUnavailable(deployment, replicas, surge);
        boolean paused = Boolean.TRUE.equals(deployment.getSpec().getPaused());

        if (!paused) {
            if (newRs == null) {
                int initial;
                if (recreate) {
                    initial =
                            old.stream()
                                            .anyMatch(
                                                    rs ->
                                                            specReplicas(rs) > 0
                                                                    || statusReplicas(rs) > 0)
                                    ? 0
                                    : replicas;
                } else {
                    int total = old.stream().mapToInt(WorkloadControllers::specReplicas).sum();
                    initial = Math.max(0, Math.min(replicas + surge - total, replicas));
                }
                newRs = createReplicaSet(deployment, hash, maxRevision + 1, initial);
                if (newRs == null) {
                    return;
                }
            } else if (revision(newRs) < maxRevision) {
                // An old template came back (rollout undo): it becomes the newest revision.
                setRevision(newRs, maxRevision + 1);
            }
            if (recreate) {
                syncRecreate(deployment, newRs, old, replicas);
            } else {
                syncRollingUpdate(deployment, newRs, old, replicas, surge, unavailable);
            }
            cleanUpHistory(deployment, old);
        }
        writeDeploymentStatus(deployment, newRs, old, replicas, unavailable);
    }

    private void syncRecreate(
            Deployment deployment, ReplicaSet newRs, List<ReplicaSet> old, int replicas) {
        boolean oldRunning = false;
        for (ReplicaSet rs : old) {
            if (specReplicas(rs) > 0) {
                scale(deployment, rs, 0);
            }
            oldRunning |= statusReplicas(rs) > 0 || specReplicas(rs) > 0;
        }
        if (!oldRunning && specReplicas(newRs) != replicas) {
            scale(deployment, newRs, replicas);
        }
    }

    private void syncRollingUpdate(
            Deployment deployment,
            ReplicaSet newRs,
            List<ReplicaSet> old,
            int replicas,
            int surge,
            int unavailable) {
        int oldTotal = old.stream().mapToInt(WorkloadControllers::specReplicas).sum();
        int newReplicas = specReplicas(newRs);
        if (oldTotal == 0) {
            if (newReplicas != replicas) {
                scale(deployment, newRs, replicas);
            }
            return;
        }
        if (newReplicas > replicas) {
            scale(deployment, newRs, replicas);
            newReplicas = replicas;
        } else if (newReplicas < replicas) {
            int scaleUp =
                    Math.min(replicas + surge - (oldTotal + newReplicas), replicas - newReplicas);
            if (scaleUp > 0) {
                newReplicas += scaleUp;
                scale(deployment, newRs, newReplicas);
            }
        }
        // Scale the old ReplicaSets down as far as availability allows: first their pods that are
        // not available anyway, then available ones, oldest first.
        int minAvailable = replicas - unavailable;
        int newUnavailable = Math.max(0, newReplicas - available(newRs));
        int maxScaledDown = oldTotal + newReplicas - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        List<ReplicaSet> remaining = new ArrayList<>();
        for (ReplicaSet rs : old) {
            int spec = specReplicas(rs);
            int unhealthy = Math.max(0, spec - available(rs));
            int down = Math.min(unhealthy, maxScaledDown);
            if (down > 0) {
                scale(deployment, rs, spec - down);
                maxScaledDown -= down;
                rs.getSpec().setReplicas(spec - down);
            }
            remaining.add(rs);
        }
        int totalAvailable =
                available(newRs) + old.stream().mapToInt(WorkloadControllers::available).sum();
        int canScaleDown = totalAvailable - minAvailable;
        for (ReplicaSet rs : remaining) {
            if (canScaleDown <= 0) {
                break;
            }
            int spec = specReplicas(rs);
            int down = Math.min(spec, canScaleDown);
            if (down > 0) {
                scale(deployment, rs, spec - down);
                canScaleDown -= down;
            }
        }
    }

    private void cleanUpHistory(Deployment deployment, List<ReplicaSet> old) {
        int limit =
                deployment.getSpec().getRevisionHistoryLimit() == null
                        ? 10
                        : deployment.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle =
                old.stream()
                        .filter(rs -> specReplicas(rs) == 0 && statusReplicas(rs) == 0)
                        .toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            ReplicaSet rs = idle.get(i);
            try {
                client.apps()
                        .replicaSets()
                        .inNamespace(rs.getMetadata().getNamespace())
                        .withName(rs.getMetadata().getName())
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.debug("could not delete old replica set {}", rs.getMetadata().getName(), e);
            }
        }
    }

    private ReplicaSet createReplicaSet(
            Deployment deployment, String hash, long revision, int replicas) {
        PodTemplateSpec template = Serialization.clone(deployment.getSpec().getTemplate());
        if (template.getMetadata() == null) {
            template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        }
        Map<String, String> podLabels = new LinkedHashMap<>();
        if (template.getMetadata().getLabels() != null) {
            podLabels.putAll(template.getMetadata().getLabels());
        }
        podLabels.put(HASH_LABEL, hash);
        template.getMetadata().setLabels(podLabels);
        Map<String, String> selector = new LinkedHashMap<>();
        if (deployment.getSpec().getSelector() != null
                && deployment.getSpec().getSelector().getMatchLabels() != null) {
            selector.putAll(deployment.getSpec().getSelector().getMatchLabels());
        }
        selector.put(HASH_LABEL, hash);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(REVISION, String.valueOf(revision));
        annotations.put(
                "deployment.kubernetes.io/desired-replicas",
                String.valueOf(
                        deployment.getSpec().getReplicas() == null
                                ? 1
                                : deployment.getSpec().getReplicas()));
        ReplicaSet rs =
                new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName(deployment.getMetadata().getName() + "-" + hash)
                        .withNamespace(deployment.getMetadata().getNamespace())
                        .withLabels(podLabels)
                        .withAnnotations(annotations)
                        .withOwnerReferences(owner(deployment, "apps/v1", "Deployment"))
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withMinReadySeconds(deployment.getSpec().getMinReadySeconds())
                        .withNewSelector()
                        .withMatchLabels(selector)
                        .endSelector()
                        .withTemplate(template)
                        .endSpec()
                        .build();
        try {
            ReplicaSet created = client.apps().replicaSets().resource(rs).create();
            deploymentEvents.record(
                    reference(deployment, "apps/v1", "Deployment"),
                    EventRecorder.NORMAL,
                    "ScalingReplicaSet",
                    "Scaled up replica set "
                            + rs.getMetadata().getName()
                            + " from 0 to "
                            + replicas);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return client.apps()
                        .replicaSets()
                        .inNamespace(rs.getMetadata().getNamespace())
                        .withName(rs.getMetadata().getName())
                        .get();
            }
            throw e;
        }
    }

    private void setRevision(ReplicaSet rs, long revision) {
        client.apps()
                .replicaSets()
                .inNamespace(rs.getMetadata().getNamespace())
                .withName(rs.getMetadata().getName())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(
                                Map.of(
                                        "metadata",
                                        Map.of(
                                                "annotations",
                                                Map.of(REVISION, String.valueOf(revision))))));
    }

    private void scale(Deployment deployment, ReplicaSet rs, int replicas) {
        int from = specReplicas(rs);
        client.apps()
                .replicaSets()
                .inNamespace(rs.getMetadata().getNamespace())
                .withName(rs.getMetadata().getName())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("spec", Map.of("replicas", replicas))));
        rs.getSpec().setReplicas(replicas);
        deploymentEvents.record(
                reference(deployment, "apps/v1", "Deployment"),
                EventRecorder.NORMAL,
                "ScalingReplicaSet",
                "Scaled "
                        + (replicas > from ? "up" : "down")
                        + " replica set "
                        + rs.getMetadata().getName()
                        + " from "
                        + from
                        + " to "
                        + replicas);
    }

    private void writeDeploymentStatus(
            Deployment deployment,
            ReplicaSet newRs,
            List<ReplicaSet> old,
            int replicas,
            int unavailable) {
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRs != null) {
            all.add(newRs);
        }
        int total = all.stream().mapToInt(WorkloadControllers::statusReplicas).sum();
        int ready =
                all.stream()
                        .mapToInt(
                                rs ->
                                        rs.getStatus() == null
                                                        || rs.getStatus().getReadyReplicas() == null
                                                ? 0
                                                : rs.getStatus().getReadyReplicas())
                        .sum();
        int availableCount = all.stream().mapToInt(WorkloadControllers::available).sum();
        int updated = newRs == null ? 0 : statusReplicas(newRs);
        boolean complete =
                newRs != null
                        && updated == replicas
                        && total == replicas
                        && availableCount >= replicas
                        && specReplicas(newRs) == replicas;
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", deployment.getMetadata().getGeneration());
        status.put("replicas", total);
        status.put("updatedReplicas", updated);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", availableCount);
        // Omitted when 0, as the API omits it; null removes it through the merge patch.
        status.put(
                "unavailableReplicas",
                replicas - availableCount > 0 ? replicas - availableCount : null);
        boolean availableOk = availableCount >= replicas - unavailable;
        List<Map<String, Object>> conditions = new ArrayList<>();
        conditions.add(
                condition(
                        deployment,
                        "Available",
                        availableOk,
                        availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        availableOk
                                ? "Deployment has minimum availability."
                                : "Deployment does not have minimum availability.",
                        now));
        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        conditions.add(
                condition(
                        deployment,
                        "Progressing",
                        true,
                        complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                        complete
                                ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
                                : "ReplicaSet \"" + rsName + "\" is progressing.",
                        now));
        status.put("conditions", conditions);
        writeStatus(
                deployment,
                status,
                () ->
                        client.apps()
                                .deployments()
                                .inNamespace(deployment.getMetadata().getNamespace())
                                .withName(deployment.getMetadata().getName()));
    }

    /** A condition, keeping its times when its status and reason did not change. */
    private static Map<String, Object> condition(
            HasMetadata object,
            String type,
            boolean value,
            String reason,
            String message,
            String now) {
        String status = value ? "True" : "False";
        JsonNode existing = null;
        JsonNode stored =
                Serialization.jsonMapper().valueToTree(object).path("status").path("conditions");
        for (JsonNode c : stored) {
            if (type.equals(c.path("type").asText())) {
                existing = c;
            }
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", status);
        boolean same = existing != null && status.equals(existing.path("status").asText());
        boolean sameReason = same && reason.equals(existing.path("reason").asText());
        condition.put(
                "lastTransitionTime", same ? existing.path("lastTransitionTime").asText(now) : now);
        condition.put(
                "lastUpdateTime", sameReason ? existing.path("lastUpdateTime").asText(now) : now);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    // ---- Job ----

    private void syncJob(Job job, List<Pod> owned) {
        if (hasCondition(job, "Complete") || hasCondition(job, "Failed")) {
            return;
        }
        var spec = job.getSpec();
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
        int backoffLimit = spec.getBackoffLimit() == null ? 6 : spec.getBackoffLimit();
        List<Pod> active = owned.stream().filter(WorkloadControllers::isActive).toList();
        int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(phase(p))).count();
        int failed = (int) owned.stream().filter(p -> "Failed".equals(phase(p))).count();
        String restartPolicy =
                spec.getTemplate().getSpec() == null
                        ? null
                        : spec.getTemplate().getSpec().getRestartPolicy();
        int restarts =
                "OnFailure".equals(restartPolicy)
                        ? active.stream()
                                .filter(
                                        p ->
                                                p.getStatus() != null
                                                        && p.getStatus().getContainerStatuses()
                                                                != null)
                                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                                .mapToInt(
                                        c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
                                .sum()
                        : 0;
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String startTime =
                job.getStatus() != null && job.getStatus().getStartTime() != null
                        ? job.getStatus().getStartTime()
                        : now;
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("startTime", startTime);
        List<Map<String, Object>> conditions = new ArrayList<>();
        boolean deadlinePassed =
                spec.getActiveDeadlineSeconds() != null
                        && Instant.parse(startTime)
                                .plusSeconds(spec.getActiveDeadlineSeconds())
                                .isBefore(Instant.now());
        if (succeeded >= completions) {
            conditions.add(
                    jobCondition(
                            "SuccessCriteriaMet",
                            "CompletionsReached",
                            "Reached expected number of succeeded pods",
                            now));
            conditions.add(
                    jobCondition(
                            "Complete",
                            "CompletionsReached",
                            "Reached expected number of succeeded pods",
                            now));
            status.put("completionTime", now);
            jobEvents.record(
                    reference(job, "batch/v1", "Job"),
                    EventRecorder.NORMAL,
                    "Completed",
                    "Job completed");
        } else if (failed + restarts > backoffLimit || deadlinePassed) {
            String reason = deadlinePassed ? "DeadlineExceeded" : "BackoffLimitExceeded";
            String message =
                    deadlinePassed
                            ? "Job was active longer than specified deadline"
                            : "Job has reached the specified backoff limit";
            conditions.add(jobCondition("FailureTarget", reason, message, now));
            conditions.add(jobCondition("Failed", reason, message, now));
            for (Pod pod : active) {
                deletePod(pod);
            }
            jobEvents.record(
                    reference(job, "batch/v1", "Job"), EventRecorder.WARNING, reason, message);
            active = List.of();
        } else {
            int wanted = Math.min(parallelism, completions - succeeded) - active.size();
            List<Pod> created = new ArrayList<>(active);
            for (int i = 0; i < wanted; i++) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
                labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
                labels.put("controller-uid", job.getMetadata().getUid());
                labels.put("job-name", job.getMetadata().getName());
                Pod pod =
                        createPod(
                                job,
                                "Job",
                                spec.getTemplate(),
                                job.getMetadata().getName() + "-",
                                labels);
                if (pod != null) {
                    created.add(pod);
                    jobEvents.record(
                            reference(job, "batch/v1", "Job"),
                            EventRecorder.NORMAL,
                            "SuccessfulCreate",
                            "Created pod: " + pod.getMetadata().getName());
                }
            }
            active = created;
        }
        status.put("active", active.size());
        status.put("succeeded", succeeded);
        status.put("failed", failed);
        status.put("ready", (int) active.stream().filter(WorkloadControllers::isReady).count());
        status.put("terminating", 0);
        if (!conditions.isEmpty()) {
            status.put("conditions", conditions);
        }
        writeStatus(
                job,
                status,
                () ->
                        client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(job.getMetadata().getNamespace())
                                .withName(job.getMetadata().getName()));
    }

    private static Map<String, Object> jobCondition(
            String type, String reason, String message, String now) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", "True");
        condition.put("lastProbeTime", now);
        condition.put("lastTransitionTime", now);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    // ---- shared ----

    /** Writes status fields when they differ from what is stored. */
    private void writeStatus(
            HasMetadata object,
            Map<String, Object> status,
            java.util.function.Supplier<
                            io.fabric8.kubernetes.client.dsl.Resource<? extends HasMetadata>>
                    resource) {
        JsonNode stored = Serialization.jsonMapper().valueToTree(object).path("status");
        JsonNode wanted = Serialization.jsonMapper().valueToTree(status);
        boolean same = true;
        var fields = wanted.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode current = stored.path(field.getKey());
            boolean bothAbsent =
                    field.getValue().isNull() && (current.isMissingNode() || current.isNull());
            if (!bothAbsent && !field.getValue().equals(current)) {
                same = false;
            }
        }
        if (same) {
            return;
        }
        resource.get()
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("status", status)));
    }

    /** JSON with null values kept: in a merge patch they remove fields. */
    private static String withNulls(Object value) {
        try {
            return PLAIN_JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private Pod createPod(
            HasMetadata owner,
            String kind,
            PodTemplateSpec template,
            String generateName,
            Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.putAll(extraLabels);
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withGenerateName(generateName)
                        .withNamespace(owner.getMetadata().getNamespace())
                        .withLabels(labels)
                        .withAnnotations(
                                template.getMetadata() == null
                                        ? null
                                        : template.getMetadata().getAnnotations())
                        .withOwnerReferences(
                                owner(owner, kind.equals("Job") ? "batch/v1" : "apps/v1", kind))
                        .endMetadata()
                        .withSpec(Serialization.clone(template.getSpec()))
                        .build();
        try {
            return client.pods().resource(pod).create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not create a pod for {} {}: {}",
                    kind,
                    owner.getMetadata().getName(),
                    e.getMessage());
            return null;
        }
    }

    private void deletePod(Pod pod) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .delete();
        } catch (KubernetesClientException e) {
            LOG.debug("could not delete pod {}", pod.getMetadata().getName(), e);
        }
    }

    private static OwnerReference owner(HasMetadata owner, String apiVersion, String kind) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static ObjectReference reference(HasMetadata object, String apiVersion, String kind) {
        return new ObjectReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .build();
    }

    private static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        return object.getMetadata().getOwnerReferences() != null
                && object.getMetadata().getOwnerReferences().stream()
                        .anyMatch(
                                r ->
                                        Objects.equals(r.getUid(), owner.getMetadata().getUid())
                                                && Boolean.TRUE.equals(r.getController()));
    }

    private static List<Pod> ownedBy(List<Pod> pods, HasMetadata owner) {
        return pods.stream().filter(p -> isControlledBy(p, owner)).toList();
    }

    private static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return pod.getMetadata().getDeletionTimestamp() == null
                && !"Succeeded".equals(phase)
                && !"Failed".equals(phase);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, String> labels(HasMetadata object) {
        return object.getMetadata().getLabels() == null
                ? Map.of()
                : object.getMetadata().getLabels();
    }

    private static long revision(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        try {
            return annotations == null
                    ? 0
                    : Long.parseLong(annotations.getOrDefault(REVISION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    private static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0
                : rs.getStatus().getReplicas();
    }

    private static int available(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
                ? 0
                : rs.getStatus().getAvailableReplicas();
    }

    private static int surge(Deployment deployment, int replicas) {
        IntOrString value =
                deployment.getSpec().getStrategy() == null
                                || deployment.getSpec().getStrategy().getRollingUpdate() == null
                        ? null
                        : deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
        return scaled(value, replicas, true);
    }

    private static int maxUnavailable(Deployment deployment, int replicas, int surge) {
        IntOrString value =
                deployment.getSpec().getStrategy() == null
                                || deployment.getSpec().getStrategy().getRollingUpdate() == null
                        ? null
                        : deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
        int unavailable = Math.min(scaled(value, replicas, false), replicas);
        return surge == 0 && unavailable == 0 ? 1 : unavailable;
    }

    /** A count or a percentage of replicas (25% when unset); surge rounds up, unavailable down. */
    private static int scaled(IntOrString value, int replicas, boolean roundUp) {
        if (value != null && value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value == null || value.getStrVal() == null ? "25%" : value.getStrVal();
        double percent = Double.parseDouble(text.replace("%", "")) / 100.0;
        return roundUp ? (int) Math.ceil(percent * replicas) : (int) Math.floor(percent * replicas);
    }

    /** A stable, name-safe hash of a pod template, as the pod-template-hash label. */
    static String templateHash(PodTemplateSpec template) {
        JsonNode canonical = sorted(Serialization.jsonMapper().valueToTree(template));
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    Serialization.asJson(canonical)
                                            .getBytes(StandardCharsets.UTF_8));
            StringBuilder hash = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                hash.append(SAFE.charAt((digest[i] & 0xff) % SAFE.length()));
            }
            return hash.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            object.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode copy = Serialization.jsonMapper().createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var array = Serialization.jsonMapper().createArrayNode();
            node.forEach(element -> array.add(sorted(element)));
            return array;
        }
        return node;
    }

    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::close);
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deploymentEvents.close();
        replicaSetEvents.close();
        jobEvents.close();
    }
}
