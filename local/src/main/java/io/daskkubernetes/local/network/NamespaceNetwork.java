package io.daskkubernetes.local.network;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network per pod, as root: a bridge {@code dklN-br} with 10.244.N.1/24 on the host, and for each
 * pod a network namespace {@code dklN-K} joined to the bridge by a veth pair, with its own address
 * 10.244.N.x, a default route through the bridge, and hosts and resolv.conf files in
 * /etc/netns/dklN-K (which {@code ip netns exec} mounts over /etc) that name the cluster's
 * Services. From the host, pod IPs are reachable directly and Service cluster IPs are addresses on
 * the bridge.
 */
public final class NamespaceNetwork implements PodNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceNetwork.class);
    private static final Path NETNS_FILES = Path.of("/etc/netns");

    /** No name server: names not in the hosts file fail at once instead of timing out. */
    private static final String RESOLV_CONF =
            "# no cluster DNS in the local runtime; Services are in /etc/hosts\n"
                    + "options timeout:1 attempts:1\n";

    private final RuntimeSlot slot;
    private final String prefix;
    private final String bridge;
    private final String subnet;
    private final BitSet usedHosts = new BitSet(256);

    /** The host number handed out last; allocation goes on from there. */
    private int lastHost = 1;

    private final AtomicLong sandboxCounter = new AtomicLong();
    private final Map<String, NamespaceSandbox> sandboxes = new ConcurrentHashMap<>();
    private volatile ServiceNames serviceNames = ServiceNames.NONE;

    private NamespaceNetwork(RuntimeSlot slot) {
        this.slot = slot;
        this.prefix = slot.prefix() + "-";
        this.bridge = prefix + "br";
        this.subnet = "10.244." + slot.number() + ".";
    }

    /** Takes a free slot, removes what a dead runtime of that slot left, and creates the bridge. */
    public static NamespaceNetwork start() {
        RuntimeSlot slot = RuntimeSlot.acquire();
        NamespaceNetwork network = new NamespaceNetwork(slot);
        try {
            LeftoverCleanup.removeEverythingNamed(network.prefix);
            IpCommand.run("link", "add", network.bridge, "type", "bridge");
            IpCommand.run("addr", "add", network.hostIp() + "/24", "dev", network.bridge);
            IpCommand.run("link", "set", network.bridge, "up");
            // The whole service range is local from the start: a connection to a cluster IP whose
            // Service has no listener yet (just created, or no endpoint that answers) is refused
            // here, instead of being routed out of the machine to whatever answers there.
            IpCommand.run("route", "add", "local", network.serviceRange(), "dev", network.bridge);
            return network;
        } catch (RuntimeException e) {
            LeftoverCleanup.removeEverythingNamed(network.prefix);
            slot.close();
            throw e;
        }
    }

    /**
     * The number of this runtime's slot: its pod subnet is 10.244.N.0/24 and its service range
     * 10.96.N.0/24.
     */
    public int slotNumber() {
        return slot.number();
    }

    /**
     * What every name this network makes starts with: namespaces, links and /etc/netns directories.
     */
    public String namePrefix() {
        return prefix;
    }

    /** This runtime's Service cluster IPs, 10.96.N.0/24. */
    String serviceRange() {
        return "10.96." + slot.number() + ".0/24";
    }

    @Override
    public String hostIp() {
        return subnet + "1";
    }

    @Override
    public PodSandbox createSandbox(Pod pod) {
        long number = sandboxCounter.incrementAndGet();
        String namespace = prefix + number;
        String hostVeth = prefix + "v" + number;
        String ip = subnet + allocateHost();
        NamespaceSandbox sandbox =
                new NamespaceSandbox(
                        namespace,
                        hostVeth,
                        ip,
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName());
        try {
            Path files = Files.createDirectories(NETNS_FILES.resolve(namespace));
            Files.writeString(files.resolve("resolv.conf"), RESOLV_CONF);
            Files.writeString(files.resolve("hosts"), "");
            // Registered before the names are first written, and each write reads the names
            // then: a Service made while this pod's network is set up cannot be missed.
            sandboxes.put(namespace, sandbox);
            sandbox.writeHosts();
            // Two processes instead of six: pod start latency is mostly process spawning on small
            // machines.
            IpCommand.batch(
                    List.of(),
                    List.of(
                            "netns add " + namespace,
                            "link add " + hostVeth + " type veth peer name eth0 netns " + namespace,
                            "link set " + hostVeth + " master " + bridge + " up"));
            IpCommand.batch(
                    List.of("-n", namespace),
                    List.of(
                            "addr add " + ip + "/24 dev eth0",
                            "link set eth0 up",
                            "link set lo up",
                            "route add default via " + hostIp()));
            return sandbox;
        } catch (IOException | RuntimeException e) {
            sandboxes.remove(namespace);
            sandbox.remove();
            throw new SandboxException(
                    "NetworkNotReady",
                    "cannot create the network of pod "
                            + pod.getMetadata().getNamespace()
                            + "/"
                            + pod.getMetadata().getName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The next free host number after the last one handed out, round the range: an address just
     * released is not given again at once, since the host's neighbour (ARP) entry for it still
     * names the old pod's interface, and a new pod there would be unreachable until it expires.
     */
    private synchronized int allocateHost() {
        int host = usedHosts.nextClearBit(lastHost + 1);
        if (host > 254) {
            host = usedHosts.nextClearBit(2);
        }
        if (host > 254) {
            throw new SandboxException(
                    "NetworkNotReady",
                    "no pod address left in "
                            + subnet
                            + "0/24 (253 pods per "
                            + "local runtime); delete some pods");
        }
        usedHosts.set(host);
        lastHost = host;
        return host;
    }

    private synchronized void releaseHost(String ip) {
        // Forget the old pod's link-layer address, so that the next pod with this IP is reached.
        IpCommand.tryRun("neigh", "flush", "to", ip, "dev", bridge);
        usedHosts.clear(Integer.parseInt(ip.substring(subnet.length())));
    }

    private String hostsFor(NamespaceSandbox sandbox) {
        return serviceNames.hostsFile(sandbox.podNamespace, sandbox.podName, sandbox.ip);
    }

    @Override
    public void updateServiceNames(ServiceNames names) {
        this.serviceNames = names;
        for (NamespaceSandbox sandbox : sandboxes.values()) {
            try {
                sandbox.writeHosts();
            } catch (UncheckedIOException e) {
                // One unwritable file must not keep the other pods from the new names.
                LOG.warn("{}", e.getMessage(), e);
            }
        }
    }

    /**
     * Puts a Service cluster IP on the bridge, so that the JVM can listen on it and pods can reach
     * it.
     */
    public void addServiceAddress(String ip) {
        IpCommand.run("addr", "add", ip + "/32", "dev", bridge);
    }

    public void removeServiceAddress(String ip) {
        IpCommand.tryRun("addr", "del", ip + "/32", "dev", bridge);
    }

    @Override
    public void close() {
        new ArrayList<>(sandboxes.values()).forEach(NamespaceSandbox::close);
        LeftoverCleanup.removeEverythingNamed(prefix);
        slot.close();
    }

    private final class NamespaceSandbox implements PodSandbox {

        private final String namespace;
        private final String hostVeth;
        private final String ip;
        private final String podNamespace;
        private final String podName;

        NamespaceSandbox(
                String namespace, String hostVeth, String ip, String podNamespace, String podName) {
            this.namespace = namespace;
            this.hostVeth = hostVeth;
            this.ip = ip;
            this.podNamespace = podNamespace;
            this.podName = podName;
        }

        @Override
        public String podIp() {
            return ip;
        }

        @Override
        public List<String> commandPrefix() {
            return List.of(IpCommand.IP, "netns", "exec", namespace);
        }

        /**
         * Rewrites the hosts file in place with the names known now: {@code ip netns exec}
         * bind-mounted this very file (inode) over /etc/hosts in the pod's processes, so a new file
         * would not be seen.
         */
        synchronized void writeHosts() {
            Path hosts = NETNS_FILES.resolve(namespace).resolve("hosts");
            try {
                Files.writeString(
                        hosts,
                        hostsFor(this),
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                if (sandboxes.containsKey(namespace)) {
                    throw new UncheckedIOException("cannot update " + hosts, e);
                }
            }
        }

        @Override
        public void close() {
            if (sandboxes.remove(namespace) != null) {
                remove();
            }
        }

        /**
         * Kills what still runs in the namespace (a process keeps its veth alive), then removes it
         * all.
         */
        synchronized void remove() {
            LeftoverCleanup.removeNamespace(namespace);
            IpCommand.tryRun("link", "del", hostVeth);
            LeftoverCleanup.removeNetnsFiles(namespace);
            releaseHost(ip);
            LOG.debug("removed network {} of pod {}/{}", namespace, podNamespace, podName);
        }
    }
}
