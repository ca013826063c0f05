package io.daskkubernetes.local.kubelet;

import io.daskkubernetes.local.api.ContainerLogSource;
import io.daskkubernetes.local.api.LogRequestException;
import io.daskkubernetes.local.events.EventRecorder;
import io.daskkubernetes.local.network.PodNetwork;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: watches pods through an informer and runs those bound to this node (or not yet
 * bound to any node) as local processes, one {@link PodRunner} each; reacts to deletionTimestamp
 * (graceful stop) and to DELETED (immediate kill); serves container logs to the API server.
 */
public final class Kubelet implements ContainerLogSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

    private final KubernetesClient client;
    private final PodRunner.Settings settings;
    private final ScheduledExecutorService executor;
    private final EventRecorder events;
    private final EventRecorder schedulerEvents;
    private final Map<String, PodRunner> runnersByUid = new ConcurrentHashMap<>();
    private final Map<String, PodRunner> runnersByName = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;
    private volatile boolean closing;

    /**
     * @param baseEnvironment variables every container starts with (PATH, HOME...), before its own
     *     env
     */
    public Kubelet(
            KubernetesClient client,
            PodNetwork network,
            Path podsDirectory,
            Map<String, String> baseEnvironment,
            Map<String, Quantity> nodeAllocatable) {
        this(client, network, podsDirectory, baseEnvironment, nodeAllocatable, null, Map.of());
    }

    /**
     * @param baseEnvironment variables every container starts with (PATH, HOME...), before its own
     *     env
     * @param apiAccess how pods reach the API server as their service account; null: they do not
     * @param images what the runtime knows of images, by repository (without tag)
     */
    public Kubelet(
            KubernetesClient client,
            PodNetwork network,
            Path podsDirectory,
            Map<String, String> baseEnvironment,
            Map<String, Quantity> nodeAllocatable,
            ApiAccess apiAccess,
            Map<String, ImageConfig> images) {
        this.client = client;
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool =
                new ScheduledThreadPoolExecutor(
                        8,
                        runnable -> {
                            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
                            thread.setName("kubelet-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        this.events = new EventRecorder(client, "kubelet", NodeRegistration.NODE_NAME);
        this.schedulerEvents = new EventRecorder(client, "default-scheduler", null);
        this.settings =
                new PodRunner.Settings(
                        client,
                        network,
                        new ContainerEnvironment(client, nodeAllocatable),
                        executor,
                        podsDirectory,
                        Map.copyOf(baseEnvironment),
                        NodeRegistration.NODE_NAME,
                        events,
                        schedulerEvents,
                        apiAccess,
                        Map.copyOf(images));
    }

    /** Starts watching pods; returns once the informer has its first list. */
    public void start() {
        informer =
                client.pods()
                        .inAnyNamespace()
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Pod pod) {
                                        observe(pod);
                                    }

                                    @Override
                                    public void onUpdate(Pod oldPod, Pod newPod) {
                                        observe(newPod);
                                    }

                                    @Override
                                    public void onDelete(
                                            Pod pod, boolean deletedFinalStateUnknown) {
                                        removed(pod);
                                    }
                                },
                                0);
    }

    private boolean isOurs(Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node == null || node.isEmpty() || node.equals(NodeRegistration.NODE_NAME);
    }

    private void observe(Pod pod) {
        if (closing || !isOurs(pod)) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        String deletion = pod.getMetadata().getDeletionTimestamp();
        PodRunner runner = runnersByUid.get(uid);
        if (runner == null) {
            if (deletion != null) {
                // Terminating before we ever ran it: nothing to stop, just let it go.
                executor.execute(() -> deleteNow(pod));
                return;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return;
            }
            runner = new PodRunner(settings, pod, this::finished);
            if (runnersByUid.putIfAbsent(uid, runner) != null) {
                return;
            }
            runnersByName.put(
                    key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), runner);
            LOG.debug(
                    "running pod {}/{}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName());
            runner.start();
        } else if (deletion != null) {
            PodRunner terminating = runner;
            // Like the kubelet, count the grace period from when we see the deletion:
            // deletionTimestamp has
            // whole seconds only and would cut up to a second off.
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            Instant deadline =
                    grace == null ? Instant.parse(deletion) : Instant.now().plusSeconds(grace);
            executor.execute(() -> terminating.terminate(deadline));
        }
    }

    private void deleteNow(Pod pod) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .withGracePeriod(0)
                    .delete();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not remove pod {}/{}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    e);
        }
    }

    private void removed(Pod pod) {
        PodRunner runner = runnersByUid.remove(pod.getMetadata().getUid());
        if (runner != null) {
            runnersByName.remove(key(runner.namespace(), runner.name()), runner);
            executor.execute(runner::forceStop);
        }
    }

    private void finished(PodRunner runner) {
        runnersByUid.remove(runner.uid(), runner);
        runnersByName.remove(key(runner.namespace(), runner.name()), runner);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public ContainerLog find(String namespace, String pod, String container, boolean previous) {
        PodRunner runner = runnersByName.get(key(namespace, pod));
        if (runner == null) {
            throw new LogRequestException(
                    400, "pod \"" + pod + "\" is not running on this node (yet)");
        }
        String name = container;
        if (name == null) {
            List<String> names = runner.appContainerNames();
            if (names.size() != 1) {
                throw new LogRequestException(
                        400,
                        "a container name must be specified for pod "
                                + pod
                                + ", choose one of: "
                                + names);
            }
            name = names.get(0);
        } else if (!runner.containerNames().contains(name)) {
            throw new LogRequestException(
                    400, "container " + name + " is not valid for pod " + pod);
        }
        String chosen = name;
        Optional<Path> file = runner.logFile(chosen, previous);
        if (file.isEmpty()) {
            throw new LogRequestException(
                    400,
                    previous
                            ? "previous terminated container \""
                                    + chosen
                                    + "\" in pod \""
                                    + pod
                                    + "\" not found"
                            : "container \""
                                    + chosen
                                    + "\" in pod \""
                                    + pod
                                    + "\" is waiting to start: ContainerCreating");
        }
        return new ContainerLog(file.get(), () -> !previous && runner.isWriting(chosen));
    }

    /**
     * Where to run a command in a running container of a pod on this node, for exec.
     *
     * @param container null for the pod's first container
     * @throws LogRequestException (400) when the pod or container is not running here
     */
    public ExecTarget execTarget(String namespace, String pod, String container) {
        PodRunner runner = runnersByName.get(key(namespace, pod));
        if (runner == null) {
            throw new LogRequestException(
                    400, "pod \"" + pod + "\" is not running on this node (yet)");
        }
        if (container != null && !runner.containerNames().contains(container)) {
            throw new LogRequestException(
                    400, "container " + container + " is not valid for pod " + pod);
        }
        return runner.execTarget(container)
                .orElseThrow(
                        () ->
                                new LogRequestException(
                                        400,
                                        "unable to upgrade connection: container not found (\""
                                                + (container == null
                                                        ? runner.appContainerNames().get(0)
                                                        : container)
                                                + "\")"));
    }

    /** Kills every pod's processes and removes their files and networks; no API call is made. */
    @Override
    public void close() {
        closing = true;
        if (informer != null) {
            informer.close();
        }
        List<PodRunner> runners = new ArrayList<>(runnersByUid.values());
        runnersByUid.clear();
        runnersByName.clear();
        runners.parallelStream().forEach(PodRunner::forceStop);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("kubelet threads still busy after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A runner whose set-up was still under way when we stopped finishes it and must be stopped
        // again.
        runners.forEach(PodRunner::forceStop);
        events.close();
        schedulerEvents.close();
    }
}
