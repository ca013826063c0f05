package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterModel;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploy mode {@code local}: the scheduler runs as a child process of this JVM, and workers in the
 * cluster reach it at an address of this machine that is not loopback.
 */
final class LocalSchedulerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalSchedulerProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path logFile;
    private final String reachableHost;
    private final int port;
    private final int dashboardPort;

    private LocalSchedulerProcess(
            Process process, Path logFile, String reachableHost, int port, int dashboardPort) {
        this.process = process;
        this.logFile = logFile;
        this.reachableHost = reachableHost;
        this.port = port;
        this.dashboardPort = dashboardPort;
    }

    static LocalSchedulerProcess start(String program, KubernetesClient client, Duration timeout) {
        int port = freePort();
        int dashboardPort = freePort();
        String host = reachableHost(client);
        Path logFile;
        try {
            logFile = Files.createTempFile("dask-scheduler-", ".log");
        } catch (IOException e) {
            throw new ClusterException(
                    "cannot create the local scheduler's log file: " + e.getMessage(), e);
        }
        List<String> command =
                List.of(
                        program,
                        // Only the address the workers use, not every interface (kubernetes.host
                        // of classic defaulted to 0.0.0.0: the scheduler and its dashboard open to
                        // any network this machine is on).
                        "--host",
                        host,
                        "--port",
                        String.valueOf(port),
                        "--dashboard-address",
                        ":" + dashboardPort);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile());
        builder.environment().put(ClusterModel.HTTP_ROUTES_ENV, ClusterModel.HTTP_ROUTES);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ClusterException(
                    "cannot start the local scheduler '"
                            + program
                            + "': "
                            + e.getMessage()
                            + "; install Dask (apt-get install python3-distributed) or set the scheduler program",
                    e);
        }
        LocalSchedulerProcess scheduler =
                new LocalSchedulerProcess(process, logFile, host, port, dashboardPort);
        scheduler.awaitListening(timeout);
        log.info(
                "Local scheduler started (pid {}) at {}",
                process.pid(),
                scheduler.addressForWorkers());
        return scheduler;
    }

    String addressForWorkers() {
        return "tcp://" + reachableHost + ":" + port;
    }

    SchedulerEndpoint endpoint() {
        return SchedulerEndpoint.direct(reachableHost, port, dashboardPort, "local process");
    }

    String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(the local scheduler's log could not be read: " + e.getMessage() + ")";
        }
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String output = log();
                close();
                throw new ClusterException(
                        "the local scheduler exited with code "
                                + process.exitValue()
                                + "; its log:\n"
                                + output.stripTrailing());
            }
            if (SchedulerEndpoints.reachable(reachableHost, port)) {
                return;
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ClusterException("interrupted while the local scheduler started", e);
            }
        }
        String output = log();
        close();
        throw new ClusterException(
                "the local scheduler did not listen on port "
                        + port
                        + " within "
                        + timeout.toSeconds()
                        + " s (kubernetes.scheduler-service-wait-timeout); its log:\n"
                        + output.stripTrailing());
    }

    /**
     * An address of this machine that pods can reach. With an API server on loopback (a local
     * runtime), its nodes are this machine: a node's InternalIP (the pods' bridge) is the answer,
     * not the first interface found, which may be another runtime's bridge. Else the address this
     * machine uses towards the API server, else the first non-loopback IPv4 address that is up.
     */
    static String reachableHost(KubernetesClient client) {
        URI apiServer = URI.create(client.getConfiguration().getMasterUrl());
        if (isLoopback(apiServer.getHost())) {
            try {
                for (Node node : client.nodes().list().getItems()) {
                    for (NodeAddress address : node.getStatus().getAddresses()) {
                        if ("InternalIP".equals(address.getType())) {
                            return address.getAddress();
                        }
                    }
                }
            } catch (KubernetesClientException e) {
                log.debug("Cannot list the nodes of {}: {}", apiServer, e.toString());
            }
        }
        return reachableHost(apiServer);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    static String reachableHost(URI apiServer) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(
                    new InetSocketAddress(
                            apiServer.getHost(),
                            apiServer.getPort() > 0 ? apiServer.getPort() : 443));
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isLoopbackAddress() && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (IOException e) {
            log.debug("Cannot tell the route towards {}: {}", apiServer, e.toString());
        }
        try {
            List<String> candidates = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        candidates.add(address.getHostAddress());
                    }
                }
            }
            return candidates.isEmpty() ? "127.0.0.1" : candidates.get(0);
        } catch (SocketException e) {
            throw new ClusterException(
                    "cannot list this machine's network interfaces: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ClusterException(
                    "no free port for the local scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", logFile, e.toString());
        }
    }
}
