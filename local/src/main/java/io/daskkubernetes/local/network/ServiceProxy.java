package io.daskkubernetes.local.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Service cluster IPs work from this machine, as kube-proxy's userspace mode did: for each
 * TCP port of each Service a socket in the JVM listens on clusterIP:port and relays every
 * connection to a ready endpoint (round robin). With the host network, a port whose target port is
 * the same number needs no relay: the pod itself listens on 127.0.0.1:port.
 *
 * <p>A connection is never accepted and then dropped for want of an endpoint, which clients (Dask's
 * among them) treat as fatal where they retry a refused one. So a port listens only once one of its
 * endpoints has been seen to accept a connection (a pod is Ready as soon as its process starts,
 * before it listens, when it has no readiness probe): until then connections are refused, as
 * kube-proxy's rules refuse them. A connection that the listener did accept but whose endpoints
 * stop answering is held, and retried against the current endpoints, for up to {@link
 * #HOLD_MILLIS}.
 *
 * <p>A port with a node port (NodePort and LoadBalancer Services) is also served on the node's
 * address at that port, as kube-proxy does on every node.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    private static final int PROBE_TIMEOUT_MILLIS = 300;
    private static final long PROBE_PERIOD_MILLIS = 50;
    private static final long SLOW_PROBE_PERIOD_MILLIS = 500;

    /** How long an accepted connection waits for an endpoint that answers. */
    static final long HOLD_MILLIS = 20_000;

    private final Consumer<String> addAddress;
    private final Consumer<String> removeAddress;
    private final boolean hostNetwork;
    private final String nodeIp;
    private final Map<String, ProxiedPort> ports = new HashMap<>();
    private final Set<String> addresses = new HashSet<>();
    private final ExecutorService threads;
    private volatile boolean closed;

    /**
     * @param addAddress puts a cluster IP on the machine before a socket binds it (a no-op on the
     *     host network)
     * @param removeAddress takes it away when no Service uses it any more
     * @param nodeIp the node's InternalIP, where node ports are served
     */
    public ServiceProxy(
            Consumer<String> addAddress,
            Consumer<String> removeAddress,
            boolean hostNetwork,
            String nodeIp) {
        this.addAddress = addAddress;
        this.removeAddress = removeAddress;
        this.hostNetwork = hostNetwork;
        this.nodeIp = nodeIp;
        AtomicInteger count = new AtomicInteger();
        this.threads =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable, "service-proxy-" + count.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Opens, updates and closes listeners to match the Services and their endpoints. A port with no
     * ready endpoint, or none that accepts connections yet, has no listener, so connections to it
     * are refused, as kube-proxy rejects them: a client that accepted a connection and then lost it
     * would give up, one that is refused retries.
     */
    public synchronized void update(List<ServiceRoute> routes) {
        if (closed) {
            return;
        }
        Map<String, Listener> wanted = new HashMap<>();
        Set<String> wantedAddresses = new HashSet<>();
        for (ServiceRoute route : routes) {
            if (route.isHeadless()) {
                continue;
            }
            wantedAddresses.add(route.clusterIp());
            for (ServiceRoute.Port port : route.ports()) {
                if (!"TCP".equals(port.protocol()) || port.targets().isEmpty()) {
                    continue;
                }
                if (port.nodePort() != null) {
                    Listener onNode = new Listener(nodeIp, port.nodePort(), port.targets());
                    wanted.put(onNode.key(), onNode);
                }
                boolean sameNumber =
                        port.targetPortNumber() != null && port.targetPortNumber() == port.port();
                if (!(hostNetwork && sameNumber)) {
                    Listener onClusterIp =
                            new Listener(route.clusterIp(), port.port(), port.targets());
                    wanted.put(onClusterIp.key(), onClusterIp);
                }
            }
        }
        for (String ip : wantedAddresses) {
            if (addresses.add(ip)) {
                addAddress.accept(ip);
            }
        }
        for (String key : new ArrayList<>(ports.keySet())) {
            if (!wanted.containsKey(key)) {
                ports.remove(key).close();
            }
        }
        wanted.forEach(
                (key, listener) -> {
                    ProxiedPort proxied = ports.get(key);
                    if (proxied == null) {
                        proxied = new ProxiedPort(listener.ip(), listener.port());
                        ports.put(key, proxied);
                        proxied.targets = List.copyOf(listener.targets());
                        threads.execute(proxied::openWhenAnEndpointAnswers);
                    } else {
                        proxied.targets = List.copyOf(listener.targets());
                    }
                });
        for (String ip : new ArrayList<>(addresses)) {
            if (!wantedAddresses.contains(ip)) {
                addresses.remove(ip);
                removeAddress.accept(ip);
            }
        }
    }

    /** Where a Service port is served (its cluster IP, or the node), and where it leads. */
    private record Listener(String ip, int port, List<ServiceRoute.Target> targets) {
        String key() {
            return ip + ":" + port;
        }
    }

    /** Whether clusterIP:port has a listening socket now (for tests). */
    synchronized boolean isListening(String ip, int port) {
        ProxiedPort proxied = ports.get(ip + ":" + port);
        return proxied != null && proxied.server != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        ports.values().forEach(ProxiedPort::close);
        ports.clear();
        addresses.forEach(removeAddress);
        addresses.clear();
        threads.shutdownNow();
    }

    /** One clusterIP:port: refused until an endpoint answers, then a listener that relays. */
    private final class ProxiedPort {

        private final String ip;
        private final int port;
        private final AtomicInteger next = new AtomicInteger();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile List<ServiceRoute.Target> targets = List.of();
        private volatile boolean removed;
        private ServerSocket server;

        ProxiedPort(String ip, int port) {
            this.ip = ip;
            this.port = port;
        }

        /** Probes the endpoints until one accepts a connection, then listens. */
        void openWhenAnEndpointAnswers() {
            int attempts = 0;
            while (!removed && !closed) {
                for (ServiceRoute.Target target : targets) {
                    if (answers(target)) {
                        listen();
                        return;
                    }
                }
                try {
                    // Often at first, while a pod starts; seldom for one that never listens.
                    Thread.sleep(++attempts < 100 ? PROBE_PERIOD_MILLIS : SLOW_PROBE_PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private boolean answers(ServiceRoute.Target target) {
            try (Socket socket = new Socket()) {
                socket.connect(
                        new InetSocketAddress(target.ip(), target.port()), PROBE_TIMEOUT_MILLIS);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private void listen() {
            ServerSocket socket;
            synchronized (ServiceProxy.this) {
                if (removed || closed) {
                    return;
                }
                try {
                    socket = new ServerSocket();
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
                } catch (IOException e) {
                    LOG.warn("cannot listen on {}:{} for a Service: {}", ip, port, e.getMessage());
                    return;
                }
                server = socket;
            }
            acceptLoop(socket);
        }

        private void acceptLoop(ServerSocket socket) {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    threads.execute(() -> relay(client));
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        LOG.debug("accept on {} failed", socket.getLocalSocketAddress(), e);
                    }
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return;
                }
            }
        }

        private void relay(Socket client) {
            open.add(client);
            Optional<Socket> backend = connectHolding();
            if (backend.isEmpty()) {
                LOG.info(
                        "no endpoint of {}:{} answered within {} s; closing a held connection",
                        ip,
                        port,
                        HOLD_MILLIS / 1000);
                closeQuietly(client);
                return;
            }
            Socket server = backend.get();
            open.add(server);
            threads.execute(() -> pump(server, client));
            pump(client, server);
        }

        /** Tries the endpoints in turn until one accepts, for up to HOLD_MILLIS. */
        private Optional<Socket> connectHolding() {
            long deadline = System.currentTimeMillis() + HOLD_MILLIS;
            while (!closed) {
                List<ServiceRoute.Target> candidates = targets;
                for (int i = 0; i < candidates.size(); i++) {
                    ServiceRoute.Target target =
                            candidates.get(
                                    Math.floorMod(next.getAndIncrement(), candidates.size()));
                    Socket socket = new Socket();
                    try {
                        socket.connect(
                                new InetSocketAddress(target.ip(), target.port()),
                                CONNECT_TIMEOUT_MILLIS);
                        return Optional.of(socket);
                    } catch (IOException e) {
                        closeQuietly(socket);
                        LOG.debug(
                                "endpoint {}:{} refused a relayed connection",
                                target.ip(),
                                target.port());
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    return Optional.empty();
                }
                try {
                    Thread.sleep(PROBE_PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            // Closing a socket's stream closes the socket, which would cut the other direction: do
            // not.
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (SocketException e) {
                // The other side closed or reset: end both directions.
                closeQuietly(to);
            } catch (IOException e) {
                LOG.debug("relay {} -> {} failed", from, to, e);
                closeQuietly(to);
            } finally {
                if (from.isClosed()
                        || to.isClosed()
                        || from.isOutputShutdown() && to.isOutputShutdown()) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        }

        private void closeQuietly(Socket socket) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", socket, e);
            }
        }

        /** Called with the proxy's lock held. */
        void close() {
            removed = true;
            if (server != null) {
                try {
                    server.close();
                } catch (IOException e) {
                    LOG.debug("closing {} failed", server, e);
                }
            }
            new ArrayList<>(open).forEach(this::closeQuietly);
        }
    }
}
