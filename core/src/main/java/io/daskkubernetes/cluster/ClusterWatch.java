package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.DesiredWorkers;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a running cluster, one {@link #check} at a time, for what a person holding it open must
 * hear about: Kubernetes gone, the cluster deleted elsewhere, the scheduler gone or failed, workers
 * lost. Lost workers are replaced up to the cluster's stored desired count (the count the user
 * asked for, see {@link DesiredWorkerCount}); the rest is reported for the caller to act on.
 *
 * <p>It reads through a client of its own that never retries and answers within seconds, so that a
 * Kubernetes that went away is noticed in seconds, not after the usual client's minute of retries.
 */
public final class ClusterWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

    /** How long after a change of the stored count removed workers count as the scaler's doing. */
    private static final Duration SCALING_SETTLES = Duration.ofSeconds(30);

    /** Failed looks in a row before Kubernetes, or the scheduler, counts as gone. */
    static final int FAILURES_TO_GIVE_UP = 3;

    /** Looks in a row at a worker count other than the stored one before converging to it. */
    static final int MISMATCHES_TO_CONVERGE = 3;

    private final KubernetesClient quick;
    private final ClusterModel model;
    private final boolean schedulerInPod;
    private final SchedulerClient scheduler;
    private final ConvergentScaler scaler;
    private Set<String> workersSeen;

    /**
     * The stored count at the last look, and when a look last found it changed: pods that go while
     * a scaler works (a scale-down's retired workers) are its doing, not losses.
     */
    private Optional<DesiredWorkers> desiredSeen = Optional.empty();

    private Instant desiredChangedAt = Instant.MIN;
    private int kubernetesFailures;
    private int schedulerFailures;
    private int mismatches;

    ClusterWatch(
            KubernetesClient client,
            ClusterModel model,
            boolean schedulerInPod,
            SchedulerClient scheduler,
            ConvergentScaler scaler) {
        this.quick = quickClient(client.getConfiguration());
        this.model = model;
        this.schedulerInPod = schedulerInPod;
        this.scheduler = scheduler;
        this.scaler = scaler;
        this.workersSeen = baseline();
    }

    /**
     * The workers alive as the watch begins, so that one lost before its first look (right after
     * the cluster became ready) is reported as lost too, not silently made up for.
     */
    private Set<String> baseline() {
        try {
            ConfigMap owner =
                    quick.configMaps().inNamespace(model.namespace()).withName(model.name()).get();
            desiredSeen = owner == null ? Optional.empty() : DesiredWorkers.of(owner);
            return liveNames(workerPods());
        } catch (RuntimeException e) {
            log.debug("No first look at the workers of {}; the next look sets it", model.name(), e);
            return Set.of();
        }
    }

    private List<Pod> workerPods() {
        return quick.pods()
                .inNamespace(model.namespace())
                .withLabels(model.workerSelector())
                .list()
                .getItems();
    }

    private static Set<String> liveNames(List<Pod> pods) {
        Set<String> live = new HashSet<>();
        for (Pod pod : pods) {
            if (!ended(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
                live.add(pod.getMetadata().getName());
            }
        }
        return live;
    }

    /** What one look found. */
    public enum Verdict {
        /** Running; lost workers, if any, were replaced. */
        HEALTHY,
        /** Its owner was deleted (dask-kubernetes delete, kubectl): nothing left to hold. */
        DELETED_ELSEWHERE,
        /** The scheduler pod is gone or ended, or the scheduler stopped answering. */
        SCHEDULER_LOST,
        /** The Kubernetes API does not answer: nothing can be observed or cleaned up. */
        KUBERNETES_LOST
    }

    /**
     * @param verdict what state the cluster is in
     * @param messages one line each, for a person: what was lost, what was done about it
     */
    public record Observation(Verdict verdict, List<String> messages) {

        public Observation {
            messages = List.copyOf(messages);
        }

        static Observation of(Verdict verdict, String message) {
            return new Observation(verdict, List.of(message));
        }
    }

    /** Looks once; replaces lost workers; never throws for a cluster that went wrong. */
    public Observation check() {
        ConfigMap owner;
        Optional<Pod> schedulerPod;
        List<Pod> workerPods;
        try {
            // The pods before their owner: a deletion (dask-kubernetes delete, ClusterObjects)
            // removes the owner first, so a scheduler pod seen going with its owner still there
            // was not deleted with its cluster.
            schedulerPod =
                    schedulerInPod
                            ? Optional.ofNullable(
                                    quick.pods()
                                            .inNamespace(model.namespace())
                                            .withName(schedulerPodName())
                                            .get())
                            : Optional.empty();
            workerPods = workerPods();
            owner = quick.configMaps().inNamespace(model.namespace()).withName(model.name()).get();
            kubernetesFailures = 0;
        } catch (RuntimeException e) {
            kubernetesFailures++;
            log.debug("Could not look at cluster {}", model.name(), e);
            if (kubernetesFailures < FAILURES_TO_GIVE_UP) {
                return new Observation(Verdict.HEALTHY, List.of());
            }
            return Observation.of(
                    Verdict.KUBERNETES_LOST,
                    "Kubernetes at "
                            + quick.getConfiguration().getMasterUrl()
                            + " stopped answering ("
                            + ErrorText.of(e)
                            + "); the cluster "
                            + model.name()
                            + " cannot be watched or cleaned up from here");
        }
        if (owner == null) {
            return Observation.of(
                    Verdict.DELETED_ELSEWHERE,
                    "Cluster " + model.name() + " was deleted elsewhere; closing");
        }
        Optional<String> schedulerProblem = schedulerProblem(schedulerPod);
        if (schedulerProblem.isPresent()) {
            return Observation.of(Verdict.SCHEDULER_LOST, schedulerProblem.get());
        }
        return new Observation(Verdict.HEALTHY, keepWorkers(owner, workerPods));
    }

    private Optional<String> schedulerProblem(Optional<Pod> pod) {
        String name = schedulerPodName();
        if (schedulerInPod) {
            if (pod.isEmpty()) {
                return Optional.of(
                        "The scheduler pod " + name + " of cluster " + model.name() + " is gone");
            }
            if (pod.get().getMetadata().getDeletionTimestamp() != null) {
                return Optional.of(
                        "The scheduler pod "
                                + name
                                + " of cluster "
                                + model.name()
                                + " is being deleted");
            }
            String phase = pod.get().getStatus() == null ? null : pod.get().getStatus().getPhase();
            if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                return Optional.of(
                        "The scheduler pod "
                                + name
                                + " of cluster "
                                + model.name()
                                + " ended: "
                                + PodProblems.fatalProblem(pod.get()).orElse("phase " + phase));
            }
        }
        if (scheduler.healthy()) {
            schedulerFailures = 0;
            return Optional.empty();
        }
        schedulerFailures++;
        if (schedulerFailures < FAILURES_TO_GIVE_UP) {
            return Optional.empty();
        }
        return Optional.of(
                "The scheduler of cluster "
                        + model.name()
                        + " stopped answering ("
                        + FAILURES_TO_GIVE_UP
                        + " checks in a row)");
    }

    /**
     * Reports workers lost since the last look and brings the count back to the stored one: at once
     * after a loss, or after a few looks at any other difference (a scaler that died half way).
     */
    private List<String> keepWorkers(ConfigMap owner, List<Pod> pods) {
        Optional<DesiredWorkers> desired = DesiredWorkers.of(owner);
        Map<String, Pod> byName = new HashMap<>();
        pods.forEach(pod -> byName.put(pod.getMetadata().getName(), pod));
        Set<String> live = liveNames(pods);
        // A worker seen alive last time that is not now: deleted (a pod being deleted counts at
        // once, as its worker is stopping), or its pod ended.
        List<String> lost = new ArrayList<>();
        for (String seen : workersSeen) {
            if (live.contains(seen)) {
                continue;
            }
            Pod pod = byName.get(seen);
            String why =
                    pod == null
                            ? "deleted"
                            : pod.getMetadata().getDeletionTimestamp() != null
                                    ? "being deleted"
                                    : PodProblems.fatalProblem(pod).orElse("ended");
            lost.add(seen + " (" + why + ")");
        }
        workersSeen = live;
        if (!desired.equals(desiredSeen)) {
            desiredSeen = desired;
            desiredChangedAt = Instant.now();
        }
        if (Instant.now().isBefore(desiredChangedAt.plus(SCALING_SETTLES))) {
            // A scaler is at work: the workers it removes are not lost, and it converges itself.
            lost.clear();
        }
        if (desired.isEmpty()) {
            return List.of();
        }
        int wanted = desired.get().workers();
        List<String> messages = new ArrayList<>();
        boolean workersMissing = live.size() < wanted && !lost.isEmpty();
        mismatches = live.size() == wanted ? 0 : mismatches + 1;
        if (workersMissing) {
            messages.add(
                    "Lost "
                            + lost.size()
                            + " worker(s) of "
                            + model.name()
                            + ": "
                            + String.join(", ", lost)
                            + "; replacing them to keep "
                            + wanted);
        }
        if (workersMissing || mismatches >= MISMATCHES_TO_CONVERGE) {
            try {
                int reached = scaler.converge();
                mismatches = 0;
                if (workersMissing) {
                    messages.add("Cluster " + model.name() + " has " + reached + " worker pod(s)");
                }
            } catch (RuntimeException e) {
                messages.add(
                        "Could not replace the lost workers of "
                                + model.name()
                                + ": "
                                + ErrorText.of(e)
                                + "; trying again");
            }
        }
        return messages;
    }

    private static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private String schedulerPodName() {
        return model.schedulerPod().getMetadata().getName();
    }

    /** A client that fails at once instead of retrying: the watch looks again a second later. */
    private static KubernetesClient quickClient(Config config) {
        Config quick =
                new ConfigBuilder(config)
                        .withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(2_000)
                        .withRequestTimeout(3_000)
                        .build();
        return new KubernetesClientBuilder().withConfig(quick).build();
    }

    @Override
    public void close() {
        quick.close();
    }

    /** The innermost useful message of an exception, for one line. */
    private static final class ErrorText {
        static String of(Throwable e) {
            Throwable cause = e;
            while (cause.getCause() != null
                    && (cause.getMessage() == null
                            || cause.getMessage().startsWith("An error has occurred"))) {
                cause = cause.getCause();
            }
            return cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
    }
}
