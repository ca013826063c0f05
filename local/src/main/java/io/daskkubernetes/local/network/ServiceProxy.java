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
import java.util.Set;
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
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private final Consumer<String> addAddress;
    private final Consumer<String> removeAddress;
    private final boolean hostNetwork;
    private final Map<String, Listener> listeners = new HashMap<>();
    private final Set<String> addresses = new HashSet<>();
    private final ExecutorService threads;
    private boolean closed;

    /**
     * @param addAddress puts a cluster IP on the machine before a socket binds it (a no-op on the
     *     host network)
     * @param removeAddress takes it away when no Service uses it any more
     */
    public ServiceProxy(
            Consumer<String> addAddress, Consumer<String> removeAddress, boolean hostNetwork) {
        this.addAddress = addAddress;
        this.removeAddress = removeAddress;
        this.hostNetwork = hostNetwork;
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
     * ready endpoint has no listener, so connections to it are refused, as kube-proxy rejects them:
     * a client that accepted a connection and then lost it would give up, one that is refused
     * retries.
     */
    public synchronized void update(List<ServiceRoute> routes) {
        if (closed) {
            return;
        }
        Map<String, ServiceRoute.Port> wanted = new HashMap<>();
        Map<String, String> ipOf = new HashMap<>();
        Set<String> wantedAddresses = new HashSet<>();
        for (ServiceRoute route : routes) {
            if (route.isHeadless()) {
                continue;
            }
            wantedAddresses.add(route.clusterIp());
            for (ServiceRoute.Port port : route.ports()) {
                boolean sameNumber =
                        port.targetPortNumber() != null && port.targetPortNumber() == port.port();
                if (!"TCP".equals(port.protocol())
                        || hostNetwork && sameNumber
                        || port.targets().isEmpty()) {
                    continue;
                }
                String key = route.clusterIp() + ":" + port.port();
                wanted.put(key, port);
                ipOf.put(key, route.clusterIp());
            }
        }
        for (String ip : wantedAddresses) {
            if (addresses.add(ip)) {
                addAddress.accept(ip);
            }
        }
        for (String key : new ArrayList<>(listeners.keySet())) {
            if (!wanted.containsKey(key)) {
                listeners.remove(key).close();
            }
        }
        wanted.forEach(
                (key, port) -> {
                    Listener listener = listeners.get(key);
                    if (listener == null) {
                        try {
                            listener = new Listener(ipOf.get(key), port.port());
                            listeners.put(key, listener);
                            threads.execute(listener::acceptLoop);
                        } catch (IOException e) {
                            LOG.warn("cannot listen on {} for a Service: {}", key, e.getMessage());
                            return;
                        }
                    }
                    listener.targets = List.copyOf(port.targets());
                });
        for (String ip : new ArrayList<>(addresses)) {
            if (!wantedAddresses.contains(ip)) {
                addresses.remove(ip);
                removeAddress.accept(ip);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.values().forEach(Listener::close);
        listeners.clear();
        addresses.forEach(removeAddress);
        addresses.clear();
        threads.shutdownNow();
    }

    private final class Listener {

        private final String ip;
        private final ServerSocket server;
        private final AtomicInteger next = new AtomicInteger();
        private final Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile List<ServiceRoute.Target> targets = List.of();

        Listener(String ip, int port) throws IOException {
            this.ip = ip;
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        }

        void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    threads.execute(() -> relay(client));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        LOG.debug("accept on {} failed", server.getLocalSocketAddress(), e);
                    }
                }
            }
        }

        private void relay(Socket client) {
            List<ServiceRoute.Target> candidates = targets;
            Socket backend = null;
            for (int i = 0; i < candidates.size() && backend == null; i++) {
                ServiceRoute.Target target =
                        candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
                try {
                    Socket socket = new Socket();
                    socket.connect(
                            new InetSocketAddress(target.ip(), target.port()),
                            CONNECT_TIMEOUT_MILLIS);
                    backend = socket;
                } catch (IOException e) {
                    LOG.debug(
                            "endpoint {}:{} refused a relayed connection",
                            target.ip(),
                            target.port());
                }
            }
            if (backend == null) {
                // No ready endpoint: refuse, as a real Service without endpoints does.
                closeQuietly(client);
                return;
            }
            Socket server = backend;
            open.add(client);
            open.add(server);
            threads.execute(() -> pump(server, client));
            pump(client, server);
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

        void close() {
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", server, e);
            }
            new ArrayList<>(open).forEach(this::closeQuietly);
        }
    }
}
