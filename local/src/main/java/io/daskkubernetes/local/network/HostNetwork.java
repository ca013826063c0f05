package io.daskkubernetes.local.network;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods on the machine's own network, for runs without root: every pod is at 127.0.0.1, so two pods
 * cannot listen on the same port; a pod whose declared container port is taken fails at once,
 * saying which. Service names resolve in pods as with a network per pod: each pod gets its own
 * hosts file (in {@code hostsDirectory}), mounted over /etc/hosts through an unprivileged user
 * namespace, in which every Service name points to 127.0.0.1, where the Service's pods or its proxy
 * listen.
 */
public final class HostNetwork implements PodNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(HostNetwork.class);

    /** Null when user namespaces do not work here: pods then share the machine's /etc/hosts. */
    private final Path hostsDirectory;

    private final AtomicLong sandboxCounter = new AtomicLong();
    private final Set<HostSandbox> sandboxes = ConcurrentHashMap.newKeySet();
    private volatile ServiceNames serviceNames = ServiceNames.NONE;

    /** Whether pods' mount namespaces come with an unprivileged user namespace. */
    private final boolean userNamespace;

    private HostNetwork(Path hostsDirectory, boolean userNamespace) {
        this.hostsDirectory = hostsDirectory;
        this.userNamespace = userNamespace;
    }

    /** Creates {@code hostsDirectory} and checks, once, that pods can have their own /etc/hosts. */
    public static HostNetwork start(Path hostsDirectory) {
        return start(hostsDirectory, HostsFileMount.NEEDS_USER_NAMESPACE);
    }

    /**
     * As {@link #start(Path)}, saying whether pods' mount namespaces come in an unprivileged user
     * namespace: what a runtime without root needs (a test running as root can ask for it).
     */
    public static HostNetwork start(Path hostsDirectory, boolean userNamespace) {
        try {
            Files.createDirectories(hostsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + hostsDirectory, e);
        }
        return withProbeResult(
                hostsDirectory,
                HostsFileMount.whyUnavailable(hostsDirectory.resolve("probe.hosts"), userNamespace),
                userNamespace);
    }

    /**
     * A network whose pods get their own hosts files unless {@code problem} says why they cannot.
     */
    static HostNetwork withProbeResult(Path hostsDirectory, Optional<String> problem) {
        return withProbeResult(hostsDirectory, problem, HostsFileMount.NEEDS_USER_NAMESPACE);
    }

    private static HostNetwork withProbeResult(
            Path hostsDirectory, Optional<String> problem, boolean userNamespace) {
        if (problem.isEmpty()) {
            return new HostNetwork(hostsDirectory, userNamespace);
        }
        LOG.warn(
                "Service names will not resolve inside pods: on the host network each pod needs an unprivileged user "
                        + "namespace for its own /etc/hosts, and that failed ({}). Enable them with "
                        + "'sysctl -w kernel.unprivileged_userns_clone=1' (Debian, Ubuntu) or 'sysctl -w user.max_user_namespaces="
                        + "15000' (and on Ubuntu 24.04 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'), install "
                        + "util-linux's unshare, or run as root for a network per pod",
                problem.get());
        try {
            Files.deleteIfExists(hostsDirectory);
        } catch (IOException e) {
            LOG.warn("cannot remove {}", hostsDirectory, e);
        }
        return new HostNetwork(null, userNamespace);
    }

    @Override
    public String hostIp() {
        return HostSandbox.LOOPBACK;
    }

    @Override
    public PodSandbox createSandbox(Pod pod) {
        for (Container container : allContainers(pod)) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (port.getContainerPort() != null
                        && !"UDP".equals(port.getProtocol())
                        && !isFree(port.getContainerPort())) {
                    throw new SandboxException(
                            "PortInUse",
                            "port "
                                    + port.getContainerPort()
                                    + " of container "
                                    + container.getName()
                                    + " is already in use on the host network, which all pods share without root "
                                    + "(run as root for a network per pod, or free the port)");
                }
            }
        }
        Path hostsFile =
                hostsDirectory == null
                        ? null
                        : hostsDirectory.resolve(
                                "pod-" + sandboxCounter.incrementAndGet() + ".hosts");
        HostSandbox sandbox =
                new HostSandbox(
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        hostsFile,
                        () -> serviceNames,
                        sandboxes::remove,
                        userNamespace);
        // Registered before the first write, so that no update of the names can fall between the
        // two.
        sandboxes.add(sandbox);
        try {
            sandbox.writeHosts();
        } catch (RuntimeException e) {
            sandbox.close();
            throw new SandboxException(
                    "NetworkNotReady",
                    "cannot create the hosts file of pod "
                            + pod.getMetadata().getNamespace()
                            + "/"
                            + pod.getMetadata().getName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return sandbox;
    }

    private static List<Container> allContainers(Pod pod) {
        List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            containers.addAll(pod.getSpec().getInitContainers());
        }
        return containers;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void updateServiceNames(ServiceNames names) {
        serviceNames = names;
        for (HostSandbox sandbox : sandboxes) {
            try {
                sandbox.writeHosts();
            } catch (UncheckedIOException e) {
                // One unwritable file must not keep the other pods from the new names.
                LOG.warn("{}", e.getMessage(), e);
            }
        }
    }

    /**
     * Removes the hosts files of pods still there (the kubelet has stopped them) and their
     * directory.
     */
    @Override
    public void close() {
        new ArrayList<>(sandboxes).forEach(HostSandbox::close);
        if (hostsDirectory != null) {
            try {
                Files.deleteIfExists(hostsDirectory);
            } catch (IOException e) {
                LOG.warn("cannot remove {}", hostsDirectory, e);
            }
        }
    }
}
