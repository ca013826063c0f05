package io.daskkubernetes.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that plays a laptop outside the cluster ({@code dask-kubernetes local
 * --outside-network}, and the tests of the port-forward fallback): from inside it, the local
 * runtime's API server answers at its usual {@code 127.0.0.1:PORT} (so its kubeconfig works
 * unchanged), but nothing else of the runtime is routable, Service cluster IPs included. A client
 * started in it ({@link #commandPrefix()}) reaches a scheduler only through the API server's
 * port-forward, as on a real remote cluster with a ClusterIP Service.
 *
 * <p>How: a veth pair {@code 10.253.X.1/30} (host) – {@code 10.253.X.2/30} (namespace) with no
 * default route; in the namespace a Python relay listens on {@code 127.0.0.1:PORT} and forwards to
 * a relay in this JVM on the host end, which forwards to the API server on the host's loopback. TLS
 * passes through both untouched.
 */
final class OutsideNetwork implements AutoCloseable {

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(OutsideNetwork.class);

    /** The relay inside the namespace: accept on 127.0.0.1:PORT, connect to HOST:HOSTPORT. */
    private static final String NAMESPACE_RELAY =
            """
            import socket, sys, threading
            port, host, host_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
            def pipe(a, b):
                try:
                    while (data := a.recv(65536)):
                        b.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (a, b):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
            listener = socket.create_server(("127.0.0.1", port))
            print("ready", flush=True)
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection((host, host_port))
                for s in (client, upstream):
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pipe, args=(a, b), daemon=True).start()
            """;

    private final String name;
    private final String hostIp;
    private final ServerSocket hostRelay;
    private final ExecutorService relayThreads = Executors.newCachedThreadPool();
    private Process namespaceRelay;

    private OutsideNetwork(String name, String hostIp, ServerSocket hostRelay) {
        this.name = name;
        this.hostIp = hostIp;
        this.hostRelay = hostRelay;
    }

    /** A namespace from which {@code 127.0.0.1:apiServerPort} is the runtime's API server. */
    static OutsideNetwork reachingApiServerAt(int apiServerPort) {
        int subnet = ThreadLocalRandom.current().nextInt(256);
        String name = "dkout" + subnet + "x" + ProcessHandle.current().pid() % 1000;
        String hostIp = "10.253." + subnet + ".1";
        String namespaceIp = "10.253." + subnet + ".2";
        String hostEnd = name + "h";
        ip("netns", "add", name);
        OutsideNetwork network = null;
        try {
            ip("link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", name);
            ip("addr", "add", hostIp + "/30", "dev", hostEnd);
            ip("link", "set", hostEnd, "up");
            ip("-n", name, "addr", "add", namespaceIp + "/30", "dev", "eth0");
            ip("-n", name, "link", "set", "eth0", "up");
            ip("-n", name, "link", "set", "lo", "up");
            ServerSocket hostRelay = new ServerSocket();
            hostRelay.bind(new InetSocketAddress(InetAddress.getByName(hostIp), 0));
            network = new OutsideNetwork(name, hostIp, hostRelay);
            network.relayToApiServer(apiServerPort);
            network.startNamespaceRelay(apiServerPort);
            return network;
        } catch (IOException | RuntimeException e) {
            if (network != null) {
                network.close();
            } else {
                ip("netns", "del", name);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Prefix of a command to run it inside the namespace. */
    List<String> commandPrefix() {
        return List.of("ip", "netns", "exec", name);
    }

    String name() {
        return name;
    }

    private void relayToApiServer(int apiServerPort) {
        relayThreads.execute(
                () -> {
                    while (!hostRelay.isClosed()) {
                        try {
                            Socket client = hostRelay.accept();
                            Socket apiServer = new Socket("127.0.0.1", apiServerPort);
                            // Small TLS records must not wait for delayed ACKs at each hop.
                            client.setTcpNoDelay(true);
                            apiServer.setTcpNoDelay(true);
                            relayThreads.execute(() -> pipe(client, apiServer));
                            relayThreads.execute(() -> pipe(apiServer, client));
                        } catch (IOException e) {
                            // Closing the relay ends accept(); anything else the client sees as a
                            // dropped connection, and the log says why.
                            if (!hostRelay.isClosed()) {
                                LOG.warn("relay to the API server: {}", e.getMessage());
                            }
                        }
                    }
                });
    }

    private static void pipe(Socket from, Socket to) {
        try (from;
                to;
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // One side closed: closing both (try-with-resources) ends the other direction too.
        }
    }

    private void startNamespaceRelay(int apiServerPort) throws IOException {
        namespaceRelay =
                new ProcessBuilder(
                                "ip",
                                "netns",
                                "exec",
                                name,
                                "/usr/bin/python3",
                                "-c",
                                NAMESPACE_RELAY,
                                Integer.toString(apiServerPort),
                                hostIp,
                                Integer.toString(hostRelay.getLocalPort()))
                        .redirectErrorStream(true)
                        .start();
        BufferedReader output =
                new BufferedReader(
                        new InputStreamReader(
                                namespaceRelay.getInputStream(), StandardCharsets.UTF_8));
        String first = output.readLine();
        if (!"ready".equals(first)) {
            throw new IllegalStateException(
                    "the relay to the API server in network namespace "
                            + name
                            + " did not start: "
                            + first);
        }
    }

    @Override
    public void close() {
        if (namespaceRelay != null) {
            namespaceRelay.destroyForcibly();
            try {
                namespaceRelay.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            hostRelay.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            relayThreads.shutdownNow();
            // Deleting the namespace deletes its end of the veth pair, and with it the host's end.
            ip("netns", "del", name);
        }
    }

    private static void ip(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(command + " failed (" + exit + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " interrupted", e);
        }
    }
}
