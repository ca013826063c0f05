package io.daskkubernetes.local.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The Service names pods must resolve, and to which address: what cluster DNS answers on a real
 * cluster, written into each pod's hosts file here.
 *
 * @param entries one entry per Service that has an address
 */
public record ServiceNames(List<Entry> entries) {

    public static final ServiceNames NONE = new ServiceNames(List.of());

    /**
     * A Service name resolves to its first ready pod (measured to work here, and no relay in the
     * way); with no ready pod yet, to its cluster IP, so that the name resolves as soon as the
     * Service exists and a client that connects early is refused and retries rather than failing to
     * resolve.
     */
    public static ServiceNames from(List<ServiceRoute> routes) {
        List<Entry> entries = new ArrayList<>();
        for (ServiceRoute route : routes) {
            String ip =
                    !route.readyIps().isEmpty()
                            ? route.readyIps().get(0)
                            : route.isHeadless() ? null : route.clusterIp();
            if (ip != null) {
                entries.add(new Entry(route.namespace(), route.name(), ip));
            }
        }
        return new ServiceNames(entries);
    }

    /** A Service {@code name} in {@code namespace} at {@code ip}. */
    public record Entry(String namespace, String name, String ip) {}

    /**
     * The hosts file of a pod in {@code podNamespace}: the fully qualified names of every Service,
     * and the short name of the Services of the pod's own namespace (the DNS search path of a pod).
     */
    public String hostsFile(String podNamespace, String podName, String podIp) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "# written by the dask-kubernetes local runtime: this pod's name and the cluster's Services");
        lines.add("127.0.0.1\tlocalhost");
        lines.add("::1\tlocalhost ip6-localhost ip6-loopback");
        lines.add(podIp + "\t" + podName);
        for (Entry entry : entries) {
            String qualified = entry.name() + "." + entry.namespace();
            String names = qualified + " " + qualified + ".svc " + qualified + ".svc.cluster.local";
            if (entry.namespace().equals(podNamespace)) {
                names = entry.name() + " " + names;
            }
            lines.add(entry.ip() + "\t" + names);
        }
        return String.join("\n", lines) + "\n";
    }
}
