package io.daskkubernetes.local;

import io.daskkubernetes.local.api.ClusterIpAllocator;
import io.daskkubernetes.local.api.EmbeddedApiServer;
import io.daskkubernetes.local.api.KubernetesService;
import io.daskkubernetes.local.controllers.EndpointsController;
import io.daskkubernetes.local.controllers.GarbageCollector;
import io.daskkubernetes.local.controllers.WorkloadControllers;
import io.daskkubernetes.local.kubelet.ApiAccess;
import io.daskkubernetes.local.kubelet.ImageConfig;
import io.daskkubernetes.local.kubelet.Kubelet;
import io.daskkubernetes.local.kubelet.NodeRegistration;
import io.daskkubernetes.local.network.HostNetwork;
import io.daskkubernetes.local.network.NamespaceNetwork;
import io.daskkubernetes.local.network.PodNetwork;
import io.daskkubernetes.local.network.ServiceNames;
import io.daskkubernetes.local.network.ServiceProxy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes in this JVM that runs pods as local processes: an API server on a loopback port, a
 * kubelet, pod networking, Service endpoints and proxies, and a garbage collector. For development,
 * the demo and the tests; it knows nothing about Dask.
 *
 * <pre>{@code
 * try (LocalKubernetes kubernetes = LocalKubernetes.start()) {
 *   kubernetes.client().pods().resource(pod).create();
 * }
 * }</pre>
 */
public final class LocalKubernetes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKubernetes.class);
    static final String DEFAULT_NAMESPACE = "default";

    private final KubernetesClient client;
    private final Path kubeconfig;
    private final String apiServerUrl;
    private final PodNetworkMode podNetwork;
    private final Path stateDirectory;
    private final String runtimeId;
    private final String networkPrefix;

    /** What to stop on close, last started first. */
    private final Deque<AutoCloseable> resources;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LocalKubernetes(
            KubernetesClient client,
            Path kubeconfig,
            String apiServerUrl,
            PodNetworkMode podNetwork,
            Path stateDirectory,
            String runtimeId,
            String networkPrefix,
            Deque<AutoCloseable> resources,
            boolean closeAtExit) {
        this.runtimeId = runtimeId;
        this.networkPrefix = networkPrefix;
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.apiServerUrl = apiServerUrl;
        this.podNetwork = podNetwork;
        this.stateDirectory = stateDirectory;
        this.resources = resources;
        this.shutdownHook =
                closeAtExit ? new Thread(this::closeFromHook, "local-kubernetes-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts with the defaults: pod network namespaces as root, the host network otherwise. */
    public static LocalKubernetes start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fabric8 client for the embedded API server; its default namespace is "default". */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig file for kubectl and child processes ({@code KUBECONFIG=...}). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String apiServerUrl() {
        return apiServerUrl;
    }

    /**
     * The pod network in use: {@link PodNetworkMode#NAMESPACES} or {@link PodNetworkMode#HOST},
     * never AUTO.
     */
    public PodNetworkMode podNetwork() {
        return podNetwork;
    }

    /** Where the runtime keeps its files (kubeconfig, pod logs, working directories). */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /**
     * This runtime's identity: every container process carries it in the environment variable
     * {@value ContainerBaseEnvironment#RUNTIME_VARIABLE}.
     */
    public String runtimeId() {
        return runtimeId;
    }

    /**
     * What the names of this runtime's network namespaces, links and /etc/netns entries start with;
     * null on the host network.
     */
    String networkPrefix() {
        return networkPrefix;
    }

    /**
     * Stops every pod and removes every process, namespace, link and file the runtime made.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running us.
            }
        }
        stopAll(resources);
    }

    private void closeFromHook() {
        if (closed.compareAndSet(false, true)) {
            stopAll(resources);
        }
    }

    static void stopAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                long started = System.nanoTime();
                resource.close();
                LOG.debug(
                        "stopped {} in {} ms", resource, (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                LOG.warn("could not stop {}", resource, e);
            }
        }
    }

    /** Options of a local runtime. */
    public static final class Builder {

        private PodNetworkMode podNetwork = PodNetworkMode.AUTO;
        private Path stateDirectory;
        private java.util.function.Consumer<io.daskkubernetes.local.api.ApiRequest> requestObserver;
        private boolean closeAtExit = true;
        private final Map<String, ImageConfig> images = new LinkedHashMap<>();

        private Builder() {}

        public Builder podNetwork(PodNetworkMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException(
                        "podNetwork must not be null; use PodNetworkMode.AUTO for the default");
            }
            this.podNetwork = mode;
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes the runtime (the default). A program that closes
         * things in its own order at exit (a cluster before the runtime it runs on) turns it off
         * and closes it itself.
         */
        public Builder closeAtExit(boolean close) {
            this.closeAtExit = close;
            return this;
        }

        /**
         * A directory for the runtime's files; by default a new temporary directory, removed on
         * close.
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = directory;
            return this;
        }

        /**
         * Tells {@code observer} of every request the API server receives (from any client, this
         * runtime's own controllers included), before it is served: an access log for tests.
         */
        public Builder observeRequests(
                java.util.function.Consumer<io.daskkubernetes.local.api.ApiRequest> observer) {
            this.requestObserver = observer;
            return this;
        }

        /**
         * Tells the runtime how {@code repository}'s images start (their ENTRYPOINT, CMD and USER),
         * for pods that rely on them; the runtime cannot pull images to read it. Any tag.
         */
        public Builder image(String repository, ImageConfig config) {
            images.put(ImageConfig.repositoryOf(repository), config);
            return this;
        }

        public LocalKubernetes start() {
            PodNetworkMode mode = resolve(podNetwork);
            Deque<AutoCloseable> resources = new ArrayDeque<>();
            String runtimeId;
            String networkPrefix;
            try {
                // Identity first, and a watchdog that removes what follows if this JVM dies.
                RuntimeIdentity identity = RuntimeIdentity.claim();
                resources.push(identity);
                runtimeId = identity.id();
                RuntimeWatchdog watchdog = RuntimeWatchdog.start(identity);
                resources.push(watchdog);
                OrphanedProcesses.kill();
                StateDirectory stateDirectory = prepareStateDirectory(resources);
                watchdog.watchStateDirectory(
                        stateDirectory.path(), stateDirectory.createdByRuntime());
                Path state = stateDirectory.path();
                PodNetwork network;
                ClusterIpAllocator clusterIps;
                ServiceProxy proxy;
                if (mode == PodNetworkMode.NAMESPACES) {
                    NamespaceNetwork namespaces = NamespaceNetwork.start();
                    network = namespaces;
                    resources.push(network);
                    watchdog.watchNetworkSlot(namespaces.slotNumber());
                    clusterIps = ClusterIpAllocator.range(namespaces.slotNumber());
                    proxy =
                            new ServiceProxy(
                                    namespaces::addServiceAddress,
                                    namespaces::removeServiceAddress,
                                    false,
                                    namespaces.hostIp());
                    networkPrefix = namespaces.namePrefix();
                } else {
                    network = HostNetwork.start(state.resolve("hosts"));
                    resources.push(network);
                    clusterIps = ClusterIpAllocator.loopback();
                    proxy = new ServiceProxy(ip -> {}, ip -> {}, true, network.hostIp());
                    networkPrefix = null;
                }
                EmbeddedApiServer apiServer = EmbeddedApiServer.start(clusterIps, network.hostIp());
                resources.push(apiServer);
                if (requestObserver != null) {
                    apiServer.observeRequestsWith(requestObserver);
                }
                Path kubeconfig =
                        Kubeconfig.write(
                                state.resolve("kubeconfig"),
                                apiServer.url(),
                                apiServer.credentials(),
                                DEFAULT_NAMESPACE);
                KubernetesClient client =
                        new KubernetesClientBuilder()
                                .withConfig(apiServer.clientConfig(DEFAULT_NAMESPACE))
                                .build();
                resources.push(client);
                resources.push(proxy);
                client.namespaces()
                        .resource(
                                new NamespaceBuilder()
                                        .withNewMetadata()
                                        .withName(DEFAULT_NAMESPACE)
                                        .endMetadata()
                                        .build())
                        .create();
                KubernetesService kubernetesService =
                        new KubernetesService(
                                clusterIps.kubernetesServiceIp(),
                                // on the host network no relay sits between: the port is the
                                // server's
                                mode == PodNetworkMode.NAMESPACES ? 443 : apiServer.port(),
                                network.hostIp(),
                                apiServer.port());
                client.resource(kubernetesService.service()).create();
                client.resource(kubernetesService.endpoints()).create();
                Node node = NodeRegistration.register(client, network.hostIp());
                EndpointsController endpoints =
                        new EndpointsController(
                                client,
                                routes -> {
                                    proxy.update(routes);
                                    network.updateServiceNames(ServiceNames.from(routes));
                                });
                resources.push(endpoints);
                endpoints.start();
                Kubelet kubelet =
                        new Kubelet(
                                client,
                                network,
                                Files.createDirectories(state.resolve("pods")),
                                ContainerBaseEnvironment.of(
                                        System.getenv(),
                                        runtimeId,
                                        ImageCommands.create(
                                                state.resolve("image-bin"), Path.of("/usr/bin"))),
                                node.getStatus().getAllocatable(),
                                new ApiAccess(
                                        kubernetesService.clusterIp(),
                                        kubernetesService.port(),
                                        apiServer.credentials().certificateAuthorityPem(),
                                        apiServer.credentials()::serviceAccountToken),
                                images);
                resources.push(kubelet);
                kubelet.start();
                apiServer.serveLogsFrom(kubelet);
                io.daskkubernetes.local.streams.PodStreams streams =
                        new io.daskkubernetes.local.streams.PodStreams(
                                path ->
                                        apiServer
                                                .store()
                                                .get(
                                                        path,
                                                        io.fabric8.kubernetes.api.model.Pod.class),
                                kubelet::execTarget);
                resources.push(streams);
                apiServer.serveStreamsWith(streams);
                GarbageCollector garbageCollector =
                        new GarbageCollector(apiServer.store()::all, apiServer::delete);
                resources.push(garbageCollector);
                apiServer.onDeletion(garbageCollector::deletionHappened);
                garbageCollector.start();
                WorkloadControllers workloads = new WorkloadControllers(client);
                resources.push(workloads);
                workloads.start();
                LOG.info(
                        "local Kubernetes API at {} ({} pod network), kubeconfig {}",
                        apiServer.url(),
                        mode,
                        kubeconfig);
                return new LocalKubernetes(
                        client,
                        kubeconfig,
                        apiServer.url(),
                        mode,
                        state,
                        runtimeId,
                        networkPrefix,
                        resources,
                        closeAtExit);
            } catch (IOException e) {
                stopAll(resources);
                throw new UncheckedIOException("cannot prepare the runtime's files", e);
            } catch (RuntimeException e) {
                stopAll(resources);
                throw e;
            }
        }

        private StateDirectory prepareStateDirectory(Deque<AutoCloseable> resources) {
            try {
                boolean created;
                Path state;
                if (stateDirectory == null) {
                    state = Files.createTempDirectory("dask-local-");
                    created = true;
                } else {
                    created = !Files.exists(stateDirectory);
                    state = Files.createDirectories(stateDirectory);
                }
                StateDirectory directory = new StateDirectory(state, created);
                resources.push(directory);
                return directory;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot create the state directory "
                                + stateDirectory
                                + "; pass a writable directory to stateDirectory(...)",
                        e);
            }
        }

        private static PodNetworkMode resolve(PodNetworkMode requested) {
            boolean root = RootCheck.isRoot();
            if (requested == PodNetworkMode.AUTO) {
                return root ? PodNetworkMode.NAMESPACES : PodNetworkMode.HOST;
            }
            if (requested == PodNetworkMode.NAMESPACES && !root) {
                throw new IllegalStateException(
                        "podNetwork(NAMESPACES) needs root (network namespaces, veth links and a "
                                + "bridge); run as root or use PodNetworkMode.HOST");
            }
            return requested;
        }
    }
}
